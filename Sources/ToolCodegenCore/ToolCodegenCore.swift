// The schema-to-Swift generator is written by the plugin work.
