// The HTTP model client is written by the demo/HTTP work.
