/// Validates a JSON text against a compiled schema straight from its bytes, without building a
/// ``JSONValue`` tree, and answers only "definitely valid" or "not sure".
///
/// One recursive walk checks the JSON syntax by the parser's rules (UTF-8, escapes, surrogate
/// pairs, control characters, the number grammar, the depth limit) and, at the same time, the
/// keywords a node can decide locally (see ``ByteNode/Mode``). A node that needs the tree gets
/// it: its sub-value is parsed from its byte range and ``SchemaEvaluator`` runs on that node, so
/// every schema is supported with the tree's semantics. Anything that is not surely valid (an
/// invalid value, malformed JSON, a duplicate key, a non-ASCII key where names matter) is "not
/// sure": the caller then runs the full parse + evaluation, which also gives the exact errors.
/// Being stricter than the tree is therefore always safe; being more lenient never is.
///
/// Positions are byte offsets; every walking function returns the offset after the value it
/// read, or -1 for "not sure".
struct ByteValidator {
    private let p: UnsafeRawBufferPointer
    private let n: Int
    private let plan: ByteSchemaPlan
    // The plan's tables as pointers, valid for the walk only (see `isSurelyValid(_:plan:program:limits:)`):
    // every index into them comes from the plan itself, and a field is read in place, where an
    // array element would be bounds-checked and copied out whole.
    private let hot: UnsafeBufferPointer<HotNode>
    private let names: UnsafeBufferPointer<NameEntry>
    private let nameBytes: UnsafeBufferPointer<UInt8>
    private let indices: UnsafeBufferPointer<Int>
    private let program: SchemaProgram
    private let limits: JSONLimits
    /// Recursion bound: the walk is recursive, so deeper texts go to the (heap-based) parser.
    private static let maxWalkDepth = 256
    private static let maxInPlaceDepth = 64

    /// Where the walk is, passed down as a value: the walker itself stays immutable, so calling
    /// one of its methods never copies it (a `mutating` caller had to copy all of it for every
    /// non-mutating call).
    private struct Nesting {
        /// Containers open at the current position.
        var depth = 0
        /// Nested in-place (`$ref`, `allOf`) hops on the way here, bounded against schemas that
        /// refer to themselves without consuming input.
        var hops = 0
    }

    private init(
        bytes: UnsafeRawBufferPointer,
        plan: ByteSchemaPlan,
        tables: (UnsafeBufferPointer<HotNode>, UnsafeBufferPointer<NameEntry>, UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<Int>),
        program: SchemaProgram,
        limits: JSONLimits
    ) {
        p = bytes
        n = bytes.count
        self.plan = plan
        (hot, names, nameBytes, indices) = tables
        self.program = program
        self.limits = limits
    }

    /// Whether `bytes` is one valid JSON text that the schema surely accepts (false: not sure).
    static func isSurelyValid(
        _ bytes: UnsafeRawBufferPointer,
        plan: ByteSchemaPlan,
        program: SchemaProgram,
        limits: JSONLimits
    ) -> Bool {
        plan.hot.withUnsafeBufferPointer { hot in
            plan.names.withUnsafeBufferPointer { names in
                plan.nameBytes.withUnsafeBufferPointer { nameBytes in
                    plan.indices.withUnsafeBufferPointer { indices in
                        let walker = ByteValidator(
                            bytes: bytes,
                            plan: plan,
                            tables: (hot, names, nameBytes, indices),
                            program: program,
                            limits: limits
                        )
                        return walker.isSurelyValid()
                    }
                }
            }
        }
    }

    private func isSurelyValid() -> Bool {
        guard n > 0, n <= limits.maxBytes, !plan.usesDynamicScope else { return false }
        let start = skipWhitespace(0)
        guard start < n else { return false }
        let end = value(program.root, start, Nesting())
        return end >= 0 && skipWhitespace(end) == n
    }

    // MARK: - Values

    @inline(__always)
    private func skipWhitespace(_ start: Int) -> Int {
        var i = start
        while i < n {
            let byte = p[i]
            guard byte <= 0x20 && (byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09) else { break }
            i += 1
        }
        return i
    }

    /// The value at `i` (not whitespace) against node `index`, or syntax only when `index` < 0.
    /// Nodes of one plain type (see ``HotNode/leaf``) go straight to their scanner: most values of
    /// tool arguments are such strings, integers and objects, and the general dispatch cost more
    /// than checking them.
    @inline(__always)
    private func value(_ index: Int, _ i: Int, _ at: Nesting) -> Int {
        if index >= 0 {
            switch hot[index].leaf {
            case .string: return p[i] == UInt8(ascii: "\"") ? plainString(index, i) : -1
            case .integer: return p[i] == UInt8(ascii: "-") || NumberScanner.isDigit(p[i]) ? plainInteger(index, i) : -1
            case .object: return p[i] == UInt8(ascii: "{") ? object(index, i, at) : -1
            case .array: return p[i] == UInt8(ascii: "[") ? array(index, i, at) : -1
            case .none: break
            }
        }
        return anyValue(index, i, at)
    }

    /// A string leaf's value at `i` (its opening quote): a plain ASCII string is scanned and its
    /// length checked here, eight bytes at a time, with no call; at the first byte that is not a
    /// closing quote (an escape, non-ASCII, a control character) or near the end of the text, the
    /// general scanner takes over from the start.
    @inline(__always)
    private func plainString(_ index: Int, _ i: Int) -> Int {
        let j = skipPlain(i + 1)
        guard j < n, p[j] == UInt8(ascii: "\"") else { return string(index, i) }
        // ASCII without escapes: one byte is one code point.
        let length = j - i - 1
        return length < hot[index].minLength || length > hot[index].maxLength ? -1 : j + 1
    }

    /// An integer leaf's value at `i` (a '-' or a digit): up to 17 digits without a fraction or
    /// exponent are read and checked against the bounds here; anything else (a longer lexeme,
    /// `2.0`, `1e2`, a leading zero, the end of the text) goes through ``number(_:_:)``.
    @inline(__always)
    private func plainInteger(_ index: Int, _ i: Int) -> Int {
        let negative = p[i] == UInt8(ascii: "-")
        let start = negative ? i + 1 : i
        var j = start
        var value: Int64 = 0
        while j < n, j - start < 18, NumberScanner.isDigit(p[j]) {
            value = value &* 10 &+ Int64(p[j] &- 0x30)
            j += 1
        }
        let digits = j - start
        // The lexeme ends at `j` only when the next byte can follow a number but not continue it.
        guard digits > 0, digits < 18, j < n, digits == 1 || p[start] != UInt8(ascii: "0") else { return number(index, i) }
        let next = p[j]
        guard next != UInt8(ascii: "."), next | 0x20 != UInt8(ascii: "e") else { return number(index, i) }
        if negative { value = -value }
        if let bound = hot[index].minimum, value < bound { return -1 }
        if let bound = hot[index].maximum, value > bound { return -1 }
        return j
    }

    private func anyValue(_ index: Int, _ i: Int, _ at: Nesting) -> Int {
        guard index >= 0 else { return plainValue(i, at) }
        switch hot[index].mode {
        case .trivial: return plainValue(i, at)
        case .fails: return -1
        case .tree: return tree(index, i, at)
        case .local: break
        }
        let end: Int
        switch p[i] {
        case UInt8(ascii: "\""): end = string(index, i)
        case UInt8(ascii: "{"):
            // enum/const on a container compare whole trees.
            if hot[index].hasChoices { return tree(index, i, at) }
            if let types = hot[index].types, !types.contains(.object) { return -1 }
            end = object(index, i, at)
        case UInt8(ascii: "["):
            if hot[index].hasChoices { return tree(index, i, at) }
            if let types = hot[index].types, !types.contains(.array) { return -1 }
            end = array(index, i, at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): end = number(index, i)
        case UInt8(ascii: "t"): end = literal(index, i, "true", .bool(true), .boolean)
        case UInt8(ascii: "f"): end = literal(index, i, "false", .bool(false), .boolean)
        case UInt8(ascii: "n"): end = literal(index, i, "null", .null, .null)
        default: return -1
        }
        guard end >= 0, !hot[index].inPlace.isEmpty else { return end }
        guard at.hops < Self.maxInPlaceDepth else { return -1 }
        var hop = at
        hop.hops += 1
        for k in hot[index].inPlace where value(indices[k], i, hop) != end { return -1 }
        return end
    }

    /// A value checked for syntax only.
    private func plainValue(_ i: Int, _ at: Nesting) -> Int {
        switch p[i] {
        case UInt8(ascii: "\""): return scanString(i).end
        case UInt8(ascii: "{"): return object(-1, i, at)
        case UInt8(ascii: "["): return array(-1, i, at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return scanNumber(i).end
        case UInt8(ascii: "t"): return matchLiteral(i, "true")
        case UInt8(ascii: "f"): return matchLiteral(i, "false")
        case UInt8(ascii: "n"): return matchLiteral(i, "null")
        default: return -1
        }
    }

    /// A node the bytes cannot decide: its value, parsed from its byte range, through the tree.
    private func tree(_ index: Int, _ i: Int, _ at: Nesting) -> Int {
        let end = plainValue(i, at)
        guard end >= 0 else { return -1 }
        let range = UnsafeRawBufferPointer(rebasing: p[i..<end])
        guard let instance = try? JSONParser.parse(bytes: range, limits: limits) else { return -1 }
        var evaluator = SchemaEvaluator(program: program, collecting: false)
        var none: Annotations? = nil
        return evaluator.evaluate(index, instance, &none) ? end : -1
    }

    // MARK: - Scalars

    private func literal(
        _ index: Int,
        _ i: Int,
        _ text: StaticString,
        _ literal: JSONValue,
        _ type: TypeMask
    ) -> Int {
        let end = matchLiteral(i, text)
        guard end >= 0 else { return -1 }
        if let types = hot[index].types, !types.contains(type) { return -1 }
        guard hot[index].hasChoices else { return end }
        let node = plan.nodes[index]
        if let options = node.enumValues, !SchemaEquality.contains(options, literal) { return -1 }
        if let constant = node.constValue, !SchemaEquality.equal(constant, literal) { return -1 }
        return end
    }

    private func matchLiteral(_ i: Int, _ text: StaticString) -> Int {
        let length = text.utf8CodeUnitCount
        guard n - i >= length else { return -1 }
        for k in 0..<length where p[i + k] != text.utf8Start[k] { return -1 }
        return i + length
    }

    /// RFC 8259 number grammar, as ``NumberScanner`` reads it; `plain` when the lexeme has neither
    /// fraction nor exponent (then it is an integer).
    private func scanNumber(_ i: Int) -> (end: Int, plain: Bool) {
        var j = i
        if p[j] == UInt8(ascii: "-") { j += 1 }
        guard j < n else { return (-1, false) }
        if p[j] == UInt8(ascii: "0") {
            j += 1
            if j < n, NumberScanner.isDigit(p[j]) { return (-1, false) }
        } else if NumberScanner.isDigit(p[j]) {
            j += 1
            while j < n, NumberScanner.isDigit(p[j]) { j += 1 }
        } else {
            return (-1, false)
        }
        var plain = true
        if j < n, p[j] == UInt8(ascii: ".") {
            plain = false
            j += 1
            guard j < n, NumberScanner.isDigit(p[j]) else { return (-1, false) }
            while j < n, NumberScanner.isDigit(p[j]) { j += 1 }
        }
        if j < n, p[j] | 0x20 == UInt8(ascii: "e") {
            plain = false
            j += 1
            if j < n, p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-") { j += 1 }
            guard j < n, NumberScanner.isDigit(p[j]) else { return (-1, false) }
            while j < n, NumberScanner.isDigit(p[j]) { j += 1 }
        }
        return (j, plain)
    }

    private func number(_ index: Int, _ i: Int) -> Int {
        let (end, plain) = scanNumber(i)
        guard end >= 0 else { return -1 }
        if !hot[index].hasChoices && !hot[index].coldNumber {
            // Machine integers and short decimals against integer bounds, from the hot facts.
            if plain && end - i <= 18 {
                if let types = hot[index].types, !types.contains(.number), !types.contains(.integer) { return -1 }
                let value = parseInt(i, end)
                if let bound = hot[index].minimum, value < bound { return -1 }
                if let bound = hot[index].maximum, value > bound { return -1 }
                return end
            }
            if hot[index].types?.contains(.number) ?? true, let decimal = scaled(i, end),
                let below = Self.below(decimal, hot[index].minimum), let above = Self.above(decimal, hot[index].maximum)
            {
                return below || above ? -1 : end
            }
        }
        return number(plan.nodes[index], i, end: end, plain: plain)
    }

    /// Whether `decimal` is below `bound` (false without a bound), or nil when it cannot tell.
    private static func below(_ decimal: (mantissa: Int64, scale: Int), _ bound: Int64?) -> Bool? {
        guard let bound else { return false }
        let (scaledBound, overflow) = bound.multipliedReportingOverflow(by: powersOf10[decimal.scale])
        return overflow ? nil : decimal.mantissa < scaledBound
    }

    private static func above(_ decimal: (mantissa: Int64, scale: Int), _ bound: Int64?) -> Bool? {
        guard let bound else { return false }
        let (scaledBound, overflow) = bound.multipliedReportingOverflow(by: powersOf10[decimal.scale])
        return overflow ? nil : decimal.mantissa > scaledBound
    }

    /// Every numeric keyword, from the node itself.
    private func number(_ node: ByteNode, _ i: Int, end: Int, plain: Bool) -> Int {
        // Plain lexemes of up to 18 digits are machine integers; anything else takes the tree's
        // exact arithmetic on a `JSONNumber` (a small string: no allocation up to 15 bytes).
        let small: Int64? = plain && end - i <= 18 ? parseInt(i, end) : nil
        var number: JSONNumber? = nil
        func exact() -> JSONNumber {
            if let number { return number }
            let made = JSONNumber(uncheckedLexeme: String(decoding: UnsafeRawBufferPointer(rebasing: p[i..<end]), as: UTF8.self))
            number = made
            return made
        }
        if let types = node.types, !types.contains(.number) {
            guard types.contains(.integer), plain || exact().isInteger else { return -1 }
        }
        if let options = node.enumValues, !SchemaEquality.contains(options, .number(exact())) { return -1 }
        if let constant = node.constValue, !SchemaEquality.equal(constant, .number(exact())) { return -1 }
        guard node.hasNumberKeywords else { return end }
        let decimal = small == nil ? scaled(i, end) : nil
        func compare(_ bound: NumericBound) -> Int {
            if let small, let b = bound.int { return small < b ? -1 : (small == b ? 0 : 1) }
            // `12.34` against an integer bound: 1234 against the bound × 100, when that fits.
            if let decimal, let b = bound.int {
                // scale <= 18: `scaled` takes at most 18 digits.
                let (scaledBound, overflow) = b.multipliedReportingOverflow(by: Self.powersOf10[decimal.scale])
                if !overflow { return decimal.mantissa < scaledBound ? -1 : (decimal.mantissa == scaledBound ? 0 : 1) }
            }
            return FastNumber(exact()).compare(to: bound)
        }
        if let bound = node.minimum, compare(bound) < 0 { return -1 }
        if let bound = node.maximum, compare(bound) > 0 { return -1 }
        if let bound = node.exclusiveMinimum, compare(bound) <= 0 { return -1 }
        if let bound = node.exclusiveMaximum, compare(bound) >= 0 { return -1 }
        if let divisor = node.multipleOf {
            if let small, let step = divisor.int, step > 0 {
                if small % step != 0 { return -1 }
            } else if !ExactArithmetic.isMultiple(exact(), of: divisor) {
                return -1
            }
        }
        return end
    }

    private static let powersOf10: [Int64] = (0...18).map { exponent in (0..<exponent).reduce(1) { value, _ in value * 10 } }

    /// `-12.34` as (-1234, 2): a lexeme with a fraction, no exponent and at most 18 digits.
    private func scaled(_ i: Int, _ end: Int) -> (mantissa: Int64, scale: Int)? {
        var j = i
        let negative = p[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        var mantissa: Int64 = 0
        var digits = 0
        var scale = 0
        var fraction = false
        while j < end {
            let byte = p[j]
            if byte == UInt8(ascii: ".") {
                fraction = true
            } else if NumberScanner.isDigit(byte) {
                digits += 1
                if digits > 18 { return nil }
                mantissa = mantissa * 10 + Int64(byte &- 0x30)
                if fraction { scale += 1 }
            } else {
                return nil  // an exponent
            }
            j += 1
        }
        return (negative ? -mantissa : mantissa, scale)
    }

    private func parseInt(_ i: Int, _ end: Int) -> Int64 {
        var j = i
        let negative = p[j] == UInt8(ascii: "-")
        if negative { j += 1 }
        var value: Int64 = 0
        while j < end {
            value = value &* 10 &+ Int64(p[j] &- 0x30)
            j += 1
        }
        return negative ? -value : value
    }

    // MARK: - Strings

    /// Scans the string whose opening quote is at `i`: `end` is the offset after its closing quote
    /// (-1 when it breaks the parser's rules), with whether it holds an escape or a non-ASCII byte.
    private func scanString(_ i: Int) -> (end: Int, escaped: Bool, ascii: Bool) {
        var j = i + 1
        var escaped = false
        var ascii = true
        while j < n {
            // Eight bytes at a time while none of them needs a look, then straight to the first that does.
            if j + 8 <= n {
                let look = Self.needsALook(p.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                if look == 0 {
                    j += 8
                    continue
                }
                j += look.trailingZeroBitCount >> 3
            }
            let byte = p[j]
            if byte == UInt8(ascii: "\"") { return (j + 1, escaped, ascii) }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                j = scanEscape(j)
                if j < 0 { break }
            } else if byte >= 0x80 {
                ascii = false
                j = scanUTF8(j)
                if j < 0 { break }
            } else if byte < 0x20 {
                break
            } else {
                j += 1
            }
        }
        return (-1, false, false)
    }

    /// From `start` in a string: the first byte that may need a look (see ``needsALook(_:)``),
    /// found eight bytes at a time, or the first with fewer than eight bytes left after it.
    @inline(__always)
    private func skipPlain(_ start: Int) -> Int {
        var j = start
        while j + 8 <= n {
            let look = Self.needsALook(p.loadUnaligned(fromByteOffset: j, as: UInt64.self))
            if look != 0 { return j + look.trailingZeroBitCount >> 3 }
            j += 8
        }
        return j
    }

    /// The high bit of each of eight string bytes (little-endian) that may be a quote, a
    /// backslash, a control character or non-ASCII. Zero exactly when none is; the lowest bit set
    /// is exactly the first such byte (a borrow only ever runs upward from a real hit).
    @inline(__always)
    private static func needsALook(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroByte = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash)
        let control = (word &- ones &* 0x20) & ~word
        return (zeroByte | control | word) & high
    }

    /// The escape at `i` (a backslash); returns the offset after it. A high surrogate must be
    /// followed by a low one, a low one must not stand alone (``StringUnescaper``'s rules).
    private func scanEscape(_ i: Int) -> Int {
        guard i + 1 < n else { return -1 }
        switch p[i + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return i + 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(i + 2) else { return -1 }
            if (0xDC00...0xDFFF).contains(unit) { return -1 }
            guard (0xD800...0xDBFF).contains(unit) else { return i + 6 }
            guard i + 7 < n, p[i + 6] == UInt8(ascii: "\\"), p[i + 7] == UInt8(ascii: "u"),
                let low = hex4(i + 8), (0xDC00...0xDFFF).contains(low)
            else { return -1 }
            return i + 12
        default:
            return -1
        }
    }

    private func hex4(_ i: Int) -> UInt32? {
        guard i + 4 <= n else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let digit = StringUnescaper.hexValue(p[i + k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    /// One UTF-8 sequence starting at `i` (a byte >= 0x80), by ``UTF8Validator``'s rules (no
    /// overlong form, no surrogate, nothing past U+10FFFF), decided from its lead byte at once.
    @inline(__always)
    private func scanUTF8(_ i: Int) -> Int {
        let length: Int
        // The range of the second byte narrows after some lead bytes.
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch p[i] {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            upper = 0x9F
        case 0xF0:
            length = 4
            lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            upper = 0x8F
        default: return -1
        }
        guard n - i >= length, p[i + 1] >= lower, p[i + 1] <= upper else { return -1 }
        if length > 2, p[i + 2] & 0xC0 != 0x80 { return -1 }
        if length > 3, p[i + 3] & 0xC0 != 0x80 { return -1 }
        return i + length
    }

    private func string(_ index: Int, _ i: Int) -> Int {
        let (end, escaped, _) = scanString(i)
        guard end >= 0 else { return -1 }
        if let types = hot[index].types, !types.contains(.string) { return -1 }
        if !hot[index].hasChoices && !hot[index].coldString {
            let minimum = hot[index].minLength
            let maximum = hot[index].maxLength
            let content = UnsafeRawBufferPointer(rebasing: p[(i + 1)..<(end - 1)]).assumingMemoryBound(to: UInt8.self)
            if escaped {
                // Counted on the escaped text, without decoding it.
                guard minimum > 0 || maximum < content.count else { return end }
                let length = Self.escapedScalarCount(content)
                return length < minimum || length > maximum ? -1 : end
            }
            // Between count / 4 and count code points: most lengths are decided without counting.
            if content.count > maximum, Self.scalarCount(content) > maximum { return -1 }
            if content.count / 4 < minimum, Self.scalarCount(content) < minimum { return -1 }
            return end
        }
        let node = plan.nodes[index]
        let raw = UnsafeRawBufferPointer(rebasing: p[(i + 1)..<(end - 1)])
        if !escaped { return checkString(node, raw.assumingMemoryBound(to: UInt8.self)) ? end : -1 }
        // Escapes are rare in arguments: decode into a scratch array, by the parser's own rules.
        var unescaper = StringUnescaper()
        for byte in raw { _ = unescaper.consume(byte) }
        return unescaper.output.withUnsafeBufferPointer { checkString(node, $0) } ? end : -1
    }

    private func checkString(_ node: ByteNode, _ content: UnsafeBufferPointer<UInt8>) -> Bool {
        if node.enumValues != nil, !node.enumStrings.contains(where: { $0.elementsEqual(content) }) { return false }
        if node.constValue != nil {
            guard let constant = node.constString, constant.elementsEqual(content) else { return false }
        }
        // Between count / 4 and count code points: most lengths are decided without counting.
        if let limit = node.maxLength, content.count > limit, Self.scalarCount(content) > limit { return false }
        if let limit = node.minLength, content.count / 4 < limit, Self.scalarCount(content) < limit { return false }
        if let pattern = node.pattern, !pattern.search(bytes: content) { return false }
        if let format = node.format, !format.accepts(String(decoding: content, as: UTF8.self)) { return false }
        return true
    }

    /// The code points of a string's escaped text (already checked by ``scanString(_:)``): an
    /// escape is one, a `\uD83D\uDE00` pair is one.
    private static func escapedScalarCount(_ content: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var j = 0
        while j < content.count {
            let byte = content[j]
            if byte == UInt8(ascii: "\\") {
                if content[j + 1] == UInt8(ascii: "u") {
                    // A high surrogate (D800-DBFF) is always followed by its low one here.
                    let second = StringUnescaper.hexValue(content[j + 3]) ?? 0
                    let high = content[j + 2] | 0x20 == UInt8(ascii: "d") && (0x8...0xB).contains(second)
                    j += high ? 12 : 6
                } else {
                    j += 2
                }
                count += 1
            } else {
                if byte & 0xC0 != 0x80 { count += 1 }
                j += 1
            }
        }
        return count
    }

    private static func scalarCount(_ content: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in content where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    // MARK: - Containers

    /// The nesting inside a container opened at `at`, or nil past the depth limits.
    @inline(__always)
    private func enter(_ at: Nesting) -> Nesting? {
        guard at.depth < limits.maxDepth, at.depth < Self.maxWalkDepth else { return nil }
        var inside = at
        inside.depth += 1
        return inside
    }

    /// After an element or member ending at `end`: the offset of the closing bracket, or of the
    /// next value after a ',' (-1 for anything else).
    @inline(__always)
    private func next(after end: Int, closing: UInt8) -> Int {
        let j = skipWhitespace(end)
        guard j < n else { return -1 }
        if p[j] == closing { return j }
        guard p[j] == UInt8(ascii: ",") else { return -1 }
        let k = skipWhitespace(j + 1)
        // No value or key starts with the closing bracket: `[1,]` and `{"a":1,}` end here.
        return k < n && p[k] != closing ? k : -1
    }

    /// The array at `i` against node `index` (syntax only when `index` < 0).
    private func array(_ index: Int, _ i: Int, _ at: Nesting) -> Int {
        guard let inside = enter(at) else { return -1 }
        var j = skipWhitespace(i + 1)
        guard j < n else { return -1 }
        let checks = index >= 0 && hot[index].hasArrayKeywords
        let prefix = checks ? hot[index].prefixItems : 0..<0
        let items = checks ? hot[index].items : -1
        var count = 0
        if p[j] != UInt8(ascii: "]") {
            while true {
                let child = count < prefix.count ? indices[prefix.lowerBound + count] : items
                let end = value(child, j, inside)
                guard end >= 0 else { return -1 }
                count += 1
                j = next(after: end, closing: UInt8(ascii: "]"))
                if j < 0 { return -1 }
                if p[j] == UInt8(ascii: "]") { break }
            }
        }
        if checks, count < hot[index].minItems || count > hot[index].maxItems { return -1 }
        return j + 1
    }

    /// The object at `i` against node `index` (syntax only when `index` < 0).
    private func object(_ index: Int, _ i: Int, _ at: Nesting) -> Int {
        guard let inside = enter(at) else { return -1 }
        var j = skipWhitespace(i + 1)
        guard j < n else { return -1 }
        let checks = index >= 0 && hot[index].hasObjectKeywords
        let direct = checks && !hot[index].hasPatterns
        var seen: UInt64 = 0
        var known = 0
        var unknown = 0
        // Keys usually come in the order of `properties`: the entry after the last match is tried first.
        var expected = checks ? hot[index].names.lowerBound : 0
        if p[j] != UInt8(ascii: "}") {
            while true {
                guard p[j] == UInt8(ascii: "\"") else { return -1 }
                let keyStart = j
                var entry = -1
                if checks {
                    entry = expectedKey(index, at: j, expected: expected)
                    if entry < 0 { entry = quickKey(index, at: j, expected: expected) }
                }
                if entry >= 0 { expected = entry + 1 }
                if entry >= 0, direct, names[entry].node >= 0 {
                    // A named property whose own subschema is all its value meets (no patterns):
                    // the member checked here, without the general member step and its key slice.
                    let bit: UInt64 = 1 << UInt64(entry - hot[index].names.lowerBound)
                    // A repeated key: the tree keeps its last value only.
                    if seen & bit != 0 { return -1 }
                    seen |= bit
                    known += 1
                    var k = j + names[entry].length + 2
                    if k < n, p[k] != UInt8(ascii: ":") { k = skipWhitespace(k) }
                    guard k < n, p[k] == UInt8(ascii: ":") else { return -1 }
                    k = skipWhitespace(k + 1)
                    guard k < n else { return -1 }
                    let end = value(names[entry].node, k, inside)
                    guard end >= 0 else { return -1 }
                    j = next(after: end, closing: UInt8(ascii: "}"))
                    if j < 0 { return -1 }
                    if p[j] == UInt8(ascii: "}") { break }
                    continue
                }
                let key = entry >= 0 ? (end: j + names[entry].length + 2, escaped: false, ascii: true) : scanString(j)
                guard key.end >= 0 else { return -1 }
                j = skipWhitespace(key.end)
                guard j < n, p[j] == UInt8(ascii: ":") else { return -1 }
                j = skipWhitespace(j + 1)
                guard j < n else { return -1 }
                let end: Int
                if checks {
                    end = member(
                        index,
                        keyAt: keyStart,
                        key,
                        entry: entry,
                        valueAt: j,
                        inside,
                        seen: &seen,
                        known: &known,
                        unknown: &unknown
                    )
                } else {
                    end = value(-1, j, inside)
                }
                guard end >= 0 else { return -1 }
                j = next(after: end, closing: UInt8(ascii: "}"))
                if j < 0 { return -1 }
                if p[j] == UInt8(ascii: "}") { break }
            }
        }
        if checks {
            if seen & hot[index].requiredMask != hot[index].requiredMask { return -1 }
            if hot[index].hasDependentRequired {
                for rule in plan.nodes[index].dependentRequired
                where seen & rule.trigger != 0 && seen & rule.required != rule.required {
                    return -1
                }
            }
            // Keys outside the name table may repeat each other, so they count as at least one
            // distinct property (enough for maxProperties: overcounting only makes it stricter).
            if let limit = hot[index].minProperties, known + min(unknown, 1) < limit { return -1 }
            if let limit = hot[index].maxProperties, known + unknown > limit { return -1 }
        }
        return j + 1
    }

    /// One member of an object whose node has object keywords: its key against the name table,
    /// `patternProperties` and `additionalProperties`, its value against every subschema that
    /// applies (the same bytes walked once per subschema).
    private func member(
        _ index: Int,
        keyAt keyStart: Int,
        _ key: (end: Int, escaped: Bool, ascii: Bool),
        entry: Int,
        valueAt i: Int,
        _ at: Nesting,
        seen: inout UInt64,
        known: inout Int,
        unknown: inout Int
    ) -> Int {
        let name = UnsafeRawBufferPointer(rebasing: p[(keyStart + 1)..<(key.end - 1)])
        var property = -1
        if !key.escaped && key.ascii {
            if let found = entry >= 0 ? entry : lookup(hot[index].names, name) {
                let bit: UInt64 = 1 << UInt64(found - hot[index].names.lowerBound)
                // A repeated key: the tree keeps its last value only.
                if seen & bit != 0 { return -1 }
                seen |= bit
                known += 1
                property = names[found].node
            } else {
                unknown += 1
            }
        } else {
            // An escaped or non-ASCII key may equal a name (or an earlier key) as a `String`
            // without equal bytes; only where no name or pattern is involved can it be decided.
            guard hot[index].names.isEmpty, !hot[index].hasPatterns, hot[index].minProperties == nil else { return -1 }
            unknown += 1
        }
        var end = -2
        if property >= 0 {
            end = value(property, i, at)
            guard end >= 0 else { return -1 }
        }
        if hot[index].hasPatterns {
            let key = name.assumingMemoryBound(to: UInt8.self)
            for (regex, child) in plan.nodes[index].patternProperties where regex.search(bytes: key) {
                let other = value(child, i, at)
                guard other >= 0, end == -2 || other == end else { return -1 }
                end = other
            }
        }
        if end == -2 {
            end = value(hot[index].additionalProperties, i, at)
        }
        return end
    }

    /// `expected` (an entry of node `index`'s name table, or its end) when the key at `i` is its
    /// name, else -1: the common case, checked in the member loop itself.
    @inline(__always)
    private func expectedKey(_ index: Int, at i: Int, expected: Int) -> Int {
        guard expected < hot[index].names.upperBound, i + 17 <= n, let base = p.baseAddress else { return -1 }
        let head = (base + i + 1).loadUnaligned(as: UInt64.self)
        let tail = (base + i + 9).loadUnaligned(as: UInt64.self)
        return keyIs(expected, at: i, head: head, tail: tail) ? expected : -1
    }

    /// The name-table entry other than `expected` whose name the key at `i` (its opening quote)
    /// is, found on the raw bytes before the key is scanned, or -1 (then the key is scanned and
    /// looked up as usual).
    private func quickKey(_ index: Int, at i: Int, expected: Int) -> Int {
        let range = hot[index].names
        guard !range.isEmpty, i + 17 <= n, let base = p.baseAddress else { return -1 }
        let head = (base + i + 1).loadUnaligned(as: UInt64.self)
        let tail = (base + i + 9).loadUnaligned(as: UInt64.self)
        for k in range where k != expected && keyIs(k, at: i, head: head, tail: tail) { return k }
        return -1
    }

    /// Whether the key at `i` (its opening quote, 17 bytes or more before the end) is entry `k`'s
    /// name, written plainly: `head` and `tail` are the sixteen bytes after the quote.
    @inline(__always)
    private func keyIs(_ k: Int, at i: Int, head: UInt64, tail: UInt64) -> Bool {
        let entry = names[k]
        let length = entry.length
        let close = i + 1 + length
        guard entry.plain, close < n, p[close] == UInt8(ascii: "\"") else { return false }
        guard (length >= 8 ? head : head & ((1 << UInt64(8 * length)) - 1)) == entry.head else { return false }
        if length <= 8 { return true }
        guard (length >= 16 ? tail : tail & ((1 << UInt64(8 * (length - 8))) - 1)) == entry.tail else { return false }
        if length <= 16 { return true }
        let rest = nameBytes[(entry.offset + 16)..<(entry.offset + length)]
        return rest.elementsEqual(UnsafeRawBufferPointer(rebasing: p[(i + 17)..<close]))
    }

    /// The entry of `key` in a node's name table (`range` of ``names``).
    @inline(__always)
    private func lookup(_ range: Range<Int>, _ key: UnsafeRawBufferPointer) -> Int? {
        guard !range.isEmpty else { return nil }
        let head = word(key, from: 0)
        var tail: UInt64? = nil
        for k in range {
            let entry = names[k]
            guard entry.head == head, entry.length == key.count else { continue }
            if entry.length <= 8 { return k }
            if tail == nil { tail = word(key, from: 8) }
            guard entry.tail == tail else { continue }
            if entry.length <= 16 { return k }
            let rest = nameBytes[(entry.offset + 16)..<(entry.offset + entry.length)]
            if rest.elementsEqual(key[16...]) { return k }
        }
        return nil
    }

    /// Bytes `start..<start + 8` of `key` as a little-endian word, zero past its end. A key is
    /// followed by its closing quote and more, so one unaligned load usually does.
    @inline(__always)
    private func word(_ key: UnsafeRawBufferPointer, from start: Int) -> UInt64 {
        let count = min(max(key.count - start, 0), 8)
        guard count > 0, let base = key.baseAddress, let end = p.baseAddress.map({ $0 + n }) else { return 0 }
        if base + start + 8 <= end {
            let word = (base + start).loadUnaligned(as: UInt64.self)
            return count == 8 ? word : word & ((1 << UInt64(8 * count)) - 1)
        }
        return NameEntry.head(UnsafeRawBufferPointer(rebasing: key[start..<(start + count)]))
    }
}
