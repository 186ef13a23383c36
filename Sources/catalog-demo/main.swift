print("catalog-demo: not implemented yet")
