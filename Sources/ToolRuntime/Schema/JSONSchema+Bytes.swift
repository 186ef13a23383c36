extension JSONSchema {
    /// Validates a JSON text given as bytes (tool-call arguments as they arrived), without
    /// building a ``JSONValue`` first when the text is valid.
    ///
    /// A valid text is decided by one walk over its bytes against the compiled schema: no tree,
    /// and in the common case no allocation. Anything else (an invalid instance, malformed JSON,
    /// a duplicate key) is parsed with ``JSONParser`` and evaluated as ``validate(_:)`` does, so
    /// the verdict, the errors and the parse error are exactly theirs.
    ///
    /// ```swift
    /// let schema = try JSONSchema(compilingText: #"{"type":"object","required":["sku"]}"#)
    /// try schema.validate(json: Array(#"{"sku":"SKU-1"}"#.utf8))   // []
    /// try schema.validate(json: Array(#"{}"#.utf8))                // [/: missing required property 'sku']
    /// try schema.validate(json: Array(#"{"sku":"#.utf8))           // throws JSONParseError(.unexpectedEnd, offset: 7, …)
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: One complete JSON text (RFC 8259, UTF-8).
    ///   - limits: Bounds on depth and size, as ``JSONParser/parse(bytes:limits:)`` applies them.
    /// - Returns: Every violation (up to ``Options/maxErrors``), in ``validate(_:)``'s order;
    ///   empty when the instance is valid.
    /// - Throws: ``JSONParseError`` when the text is not valid JSON, with the kind and byte
    ///   offset ``JSONParser`` reports.
    public func validate(
        json bytes: UnsafeRawBufferPointer,
        limits: JSONLimits = .default
    ) throws(JSONParseError) -> [ValidationError] {
        if ByteValidator.isSurelyValid(bytes, plan: bytePlan, program: program, limits: limits) { return [] }
        return validate(try JSONParser.parse(bytes: bytes, limits: limits))
    }

    /// Validates a JSON text given as bytes; see ``validate(json:limits:)-(UnsafeRawBufferPointer,_)``.
    ///
    /// ```swift
    /// let errors = try schema.validate(json: call.arguments.utf8)
    /// ```
    public func validate(
        json bytes: some Collection<UInt8>,
        limits: JSONLimits = .default
    ) throws(JSONParseError) -> [ValidationError] {
        try Self.withContiguousBytes(bytes) { buffer throws(JSONParseError) in try validate(json: buffer, limits: limits) }
    }

    /// Whether a JSON text given as bytes is valid JSON that the schema accepts; stops at the
    /// first violation. Malformed JSON is not valid.
    ///
    /// ```swift
    /// if schema.isValid(json: argumentBytes) { … }
    /// ```
    ///
    /// - Parameters:
    ///   - bytes: One complete JSON text (RFC 8259, UTF-8).
    ///   - limits: Bounds on depth and size, as ``JSONParser/parse(bytes:limits:)`` applies them.
    public func isValid(json bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) -> Bool {
        if ByteValidator.isSurelyValid(bytes, plan: bytePlan, program: program, limits: limits) { return true }
        guard let value = try? JSONParser.parse(bytes: bytes, limits: limits) else { return false }
        return isValid(value)
    }

    /// Whether a JSON text given as bytes is valid; see ``isValid(json:limits:)-(UnsafeRawBufferPointer,_)``.
    public func isValid(json bytes: some Collection<UInt8>, limits: JSONLimits = .default) -> Bool {
        Self.withContiguousBytes(bytes) { buffer in isValid(json: buffer, limits: limits) }
    }

    // Concrete forms of the generic entry points: a generic call from another module is not
    // specialized, and its witness-table dispatch would cost a third of a small call.

    /// Validates a JSON text given as bytes; see ``validate(json:limits:)-(UnsafeRawBufferPointer,_)``.
    public func validate(json bytes: [UInt8], limits: JSONLimits = .default) throws(JSONParseError) -> [ValidationError] {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(JSONParseError) in try validate(json: buffer, limits: limits) }
        }.get()
    }

    /// Validates a JSON text; see ``validate(json:limits:)-(UnsafeRawBufferPointer,_)``.
    public func validate(json text: String, limits: JSONLimits = .default) throws(JSONParseError) -> [ValidationError] {
        var text = text
        return try text.withUTF8 { buffer in
            Result { () throws(JSONParseError) in try validate(json: UnsafeRawBufferPointer(buffer), limits: limits) }
        }.get()
    }

    /// Whether a JSON text given as bytes is valid; see ``isValid(json:limits:)-(UnsafeRawBufferPointer,_)``.
    public func isValid(json bytes: [UInt8], limits: JSONLimits = .default) -> Bool {
        bytes.withUnsafeBytes { isValid(json: $0, limits: limits) }
    }

    /// Whether a JSON text is valid; see ``isValid(json:limits:)-(UnsafeRawBufferPointer,_)``.
    public func isValid(json text: String, limits: JSONLimits = .default) -> Bool {
        var text = text
        return text.withUTF8 { isValid(json: UnsafeRawBufferPointer($0), limits: limits) }
    }

    /// Whether the byte walk alone decides `bytes` is valid (no fallback), for the differential
    /// tests: the fast path must never accept what the tree rejects.
    func isSurelyValidFromBytes(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .default) -> Bool {
        ByteValidator.isSurelyValid(bytes, plan: bytePlan, program: program, limits: limits)
    }

    private static func withContiguousBytes<R, E: Error>(
        _ bytes: some Collection<UInt8>,
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        let result: Result<R, E>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(E) in try body(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBytes { buffer in Result { () throws(E) in try body(buffer) } }.get()
    }
}
