print("tool-codegen: not implemented yet")
