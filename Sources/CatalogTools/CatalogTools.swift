// The catalog tool modules are written by the catalog work.
