/// A regular expression with ECMA-262 semantics (as with the `u` flag), as JSON Schema's
/// `pattern` and `patternProperties` ask for, matched directly on a string's UTF-8 bytes.
///
/// Why not Foundation or Swift `Regex`: `NSRegularExpression` (ICU) lets `$` match before a final
/// newline, so `"ORD-123456\n"` would pass `^ORD-[0-9]{6}$`; Swift `Regex` matches grapheme
/// clusters and Unicode digits by default; both cost microseconds per match. Here `^`/`$` are the
/// input's ends, `.` excludes only line terminators, `\d` `\w` `\b` are ASCII, `\s` is ECMA's
/// white space, and matching counts code points.
///
/// Supported: alternation, groups (capturing, `(?:…)`, named), greedy and lazy quantifiers,
/// classes with ranges and escapes, `\p{…}`/`\P{…}` for general categories, back-references,
/// lookahead. Not supported (a compile error naming it): lookbehind, `\p{Script=…}`.
/// A search that would backtrack more than ``stepLimit`` steps counts as no match.
struct ECMARegex: Sendable {
    let source: String
    private let program: [Instruction]
    private let classes: [CharClass]
    private let slotCount: Int
    /// The pattern begins with `^` outside any alternation: try position 0 only.
    private let anchoredAtStart: Bool
    /// Every match must start with this ASCII byte (a cheap skip-ahead).
    private let firstByte: UInt8?
    /// The program is a straight line (characters, classes, anchors; no branch, group or
    /// back-reference), as tool-schema patterns such as `^ORD-[0-9]{6}$` are: matched at each
    /// start without the backtracking machine, its stack or its capture slots.
    private let isLinear: Bool
    /// Per class: whether its ASCII bitmaps alone decide an ASCII scalar (no categories, no
    /// nested exclusions), so the linear matcher tests a bit instead of copying the class.
    private let asciiExact: [Bool]

    static let stepLimit = 1_000_000

    struct SyntaxError: Error {
        var message: String
    }

    init(_ source: String) throws(SyntaxError) {
        self.source = source
        var parser = RegexParser(Array(source.unicodeScalars))
        let tree = try parser.parseDisjunction()
        if parser.position < parser.scalars.count {
            throw SyntaxError(message: "unmatched ')' at position \(parser.position)")
        }
        var compiler = RegexCompiler(groupCount: parser.groupCount, names: parser.groupNames)
        try compiler.emit(tree)
        compiler.program.append(.match)
        program = compiler.program
        classes = compiler.classes
        slotCount = (parser.groupCount + 1) * 2 + compiler.registerCount
        anchoredAtStart = tree.startsAnchored
        if case .char(let c)? = tree.firstAtom, c < 0x80 { firstByte = UInt8(c) } else { firstByte = nil }
        isLinear = program.allSatisfy { instruction in
            switch instruction {
            case .char, .any, .set, .inputStart, .inputEnd, .wordBoundary, .match: true
            default: false
            }
        }
        asciiExact = classes.map { $0.categories.isEmpty && $0.negatedCategories.isEmpty && $0.excluded.isEmpty }
    }

    /// Whether the pattern matches anywhere in `string` (JSON Schema patterns are unanchored).
    func search(_ string: String) -> Bool {
        var copy = string
        return copy.withUTF8 { search(bytes: $0) }
    }

    func search(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if isLinear {
            // The same step count against `stepLimit` as the machine: one per instruction run.
            var steps = 0
            return search(bytes) { start in matchLinear(bytes, at: start, &steps) }
        }
        var machine = Machine(program: program, classes: classes, bytes: bytes, slotCount: slotCount)
        return search(bytes) { start in machine.run(from: 0, start: start) }
    }

    /// Tries `match` at each start a match can have; `nil` from it (the step budget ran out)
    /// counts as no match.
    @inline(__always)
    private func search(_ bytes: UnsafeBufferPointer<UInt8>, _ match: (Int) -> Bool?) -> Bool {
        if anchoredAtStart { return match(0) == true }
        var start = 0
        while start <= bytes.count {
            if let firstByte {
                guard let found = bytes[start...].firstIndex(of: firstByte) else { return false }
                start = found
            }
            switch match(start) {
            case true: return true
            case nil: return false
            case false: break
            }
            if start == bytes.count { break }
            start += Machine.scalarLength(bytes[start])
        }
        return false
    }
}

extension ECMARegex {
    /// Matches a linear program at `start` without backtracking (the machine would take the
    /// same steps: there is never a second alternative to try).
    private func matchLinear(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ steps: inout Int) -> Bool? {
        var position = start
        for instruction in program {
            steps += 1
            if steps > Self.stepLimit { return nil }
            switch instruction {
            case .char(let expected):
                guard position < bytes.count else { return false }
                let (scalar, length) = Machine.decode(bytes, at: position)
                guard scalar == expected else { return false }
                position += length
            case .any:
                guard position < bytes.count else { return false }
                let (scalar, length) = Machine.decode(bytes, at: position)
                if scalar == 0x0A || scalar == 0x0D || scalar == 0x2028 || scalar == 0x2029 { return false }
                position += length
            case .set(let index):
                guard position < bytes.count else { return false }
                let byte = bytes[position]
                if byte < 0x80 && asciiExact[index] {
                    guard classes[index].asciiContains(byte) else { return false }
                    position += 1
                } else {
                    let (scalar, length) = Machine.decode(bytes, at: position)
                    guard classes[index].contains(scalar) else { return false }
                    position += length
                }
            case .inputStart:
                guard position == 0 else { return false }
            case .inputEnd:
                guard position == bytes.count else { return false }
            case .wordBoundary(let negated):
                let boundary = Machine.isWord(bytes, at: position - 1) != Machine.isWord(bytes, at: position)
                guard boundary != negated else { return false }
            case .match:
                return true
            default:
                return false  // not in a linear program
            }
        }
        return false
    }
}

// MARK: - Syntax tree

private indirect enum RegexNode {
    case empty
    case char(UInt32)
    case any
    case charClass(CharClass)
    case sequence([RegexNode])
    case alternation([RegexNode])
    case group(RegexNode, capture: Int?)
    case repeatNode(RegexNode, min: Int, max: Int?, greedy: Bool)
    case inputStart
    case inputEnd
    case wordBoundary(negated: Bool)
    case backReference(Int)
    case namedBackReference(String)
    case lookahead(RegexNode, negated: Bool)

    var startsAnchored: Bool {
        switch self {
        case .inputStart: true
        case .sequence(let items): items.first?.startsAnchored ?? false
        case .group(let inner, _): inner.startsAnchored
        default: false
        }
    }

    var firstAtom: RegexNode? {
        switch self {
        case .char: self
        case .sequence(let items):
            if let first = items.first {
                if case .inputStart = first { nil } else { first.firstAtom }
            } else {
                nil
            }
        case .group(let inner, _): inner.firstAtom
        case .repeatNode(let inner, let min, _, _): min > 0 ? inner.firstAtom : nil
        default: nil
        }
    }

    var canBeEmpty: Bool {
        switch self {
        case .empty, .inputStart, .inputEnd, .wordBoundary, .lookahead, .backReference, .namedBackReference: true
        case .char, .any, .charClass: false
        case .sequence(let items): items.allSatisfy(\.canBeEmpty)
        case .alternation(let items): items.contains { $0.canBeEmpty }
        case .group(let inner, _): inner.canBeEmpty
        case .repeatNode(let inner, let min, _, _): min == 0 || inner.canBeEmpty
        }
    }
}

/// A set of code points: an ASCII bitmap, ranges above ASCII, and general categories.
struct CharClass: Sendable {
    var low: UInt64 = 0
    var high: UInt64 = 0
    var ranges: [ClosedRange<UInt32>] = []
    var categories: [Unicode.GeneralCategory] = []
    var negatedCategories: [Unicode.GeneralCategory] = []
    /// Nested classes such as `\S` inside `[…]`, matched by exclusion.
    var excluded: [CharClass] = []
    var negated = false

    mutating func add(_ range: ClosedRange<UInt32>) {
        var lower = range.lowerBound
        while lower <= range.upperBound, lower < 128 {
            if lower < 64 { low |= 1 << UInt64(lower) } else { high |= 1 << UInt64(lower - 64) }
            lower += 1
        }
        if lower <= range.upperBound { ranges.append(lower...range.upperBound) }
    }

    func contains(_ scalar: UInt32) -> Bool { rawContains(scalar) != negated }

    /// ``contains(_:)`` for an ASCII byte, from the bitmaps alone (exact only when the class
    /// has no categories or nested exclusions).
    @inline(__always)
    func asciiContains(_ byte: UInt8) -> Bool {
        let hit = byte < 64 ? low & (1 << UInt64(byte)) != 0 : high & (1 << UInt64(byte - 64)) != 0
        return hit != negated
    }

    private func rawContains(_ scalar: UInt32) -> Bool {
        if scalar < 64 {
            if low & (1 << UInt64(scalar)) != 0 { return true }
        } else if scalar < 128 {
            if high & (1 << UInt64(scalar - 64)) != 0 { return true }
        } else {
            for range in ranges where range.contains(scalar) { return true }
        }
        if !categories.isEmpty || !negatedCategories.isEmpty, let value = Unicode.Scalar(scalar) {
            let category = value.properties.generalCategory
            if categories.contains(category) { return true }
            if !negatedCategories.isEmpty, !negatedCategories.contains(category) { return true }
        }
        for inner in excluded where inner.contains(scalar) { return true }
        return false
    }

    static let digits: CharClass = {
        var set = CharClass()
        set.add(0x30...0x39)
        return set
    }()

    static let word: CharClass = {
        var set = CharClass()
        set.add(0x30...0x39)
        set.add(0x41...0x5A)
        set.add(0x61...0x7A)
        set.add(0x5F...0x5F)
        return set
    }()

    /// ECMA-262 WhiteSpace and LineTerminator.
    static let space: CharClass = {
        var set = CharClass()
        for scalar: UInt32 in [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF] {
            set.add(scalar...scalar)
        }
        set.add(0x2000...0x200A)
        set.categories = [.spaceSeparator]
        return set
    }()

    func inverted() -> CharClass {
        var copy = self
        copy.negated.toggle()
        return copy
    }
}

// MARK: - Parser

private struct RegexParser {
    let scalars: [UInt32]
    var position = 0
    var groupCount = 0
    var groupNames: [String: Int] = [:]

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars.map(\.value) }

    private var current: UInt32? { position < scalars.count ? scalars[position] : nil }

    private func error(_ message: String) -> ECMARegex.SyntaxError { .init(message: message) }

    mutating func parseDisjunction() throws(ECMARegex.SyntaxError) -> RegexNode {
        var alternatives = [try parseAlternative()]
        while current == 0x7C {  // |
            position += 1
            alternatives.append(try parseAlternative())
        }
        return alternatives.count == 1 ? alternatives[0] : .alternation(alternatives)
    }

    private mutating func parseAlternative() throws(ECMARegex.SyntaxError) -> RegexNode {
        var items: [RegexNode] = []
        while let c = current, c != 0x7C, c != 0x29 {  // | )
            var atom = try parseTerm()
            if let quantified = try parseQuantifier(atom) { atom = quantified }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    private mutating func parseQuantifier(_ atom: RegexNode) throws(ECMARegex.SyntaxError) -> RegexNode? {
        guard let c = current else { return nil }
        var minimum = 0
        var maximum: Int?
        switch c {
        case 0x2A: position += 1  // *
        case 0x2B:  // +
            position += 1
            minimum = 1
        case 0x3F:  // ?
            position += 1
            maximum = 1
        case 0x7B:  // {
            let save = position
            position += 1
            guard let low = parseInt() else {
                position = save
                return nil
            }
            minimum = low
            maximum = low
            if current == 0x2C {  // ,
                position += 1
                maximum = parseInt()
            }
            guard current == 0x7D else {
                position = save
                return nil
            }
            position += 1
            if let maximum, maximum < minimum { throw error("numbers out of order in {} quantifier") }
        default: return nil
        }
        switch atom {
        case .inputStart, .inputEnd, .wordBoundary: throw error("nothing to repeat")
        default: break
        }
        var greedy = true
        if current == 0x3F {
            position += 1
            greedy = false
        }
        if minimum > 10_000 || (maximum ?? 0) > 10_000 { throw error("quantifier bound above 10000") }
        return .repeatNode(atom, min: minimum, max: maximum, greedy: greedy)
    }

    private mutating func parseInt() -> Int? {
        var value: Int?
        while let c = current, c >= 0x30, c <= 0x39 {
            value = min((value ?? 0) * 10 + Int(c - 0x30), 1_000_000)
            position += 1
        }
        return value
    }

    private mutating func parseTerm() throws(ECMARegex.SyntaxError) -> RegexNode {
        guard let c = current else { return .empty }
        position += 1
        switch c {
        case 0x5E: return .inputStart  // ^
        case 0x24: return .inputEnd  // $
        case 0x2E: return .any  // .
        case 0x5B: return .charClass(try parseClass())  // [
        case 0x28: return try parseGroup()  // (
        case 0x5C: return try parseEscape()  // backslash
        case 0x2A, 0x2B, 0x3F: throw error("nothing to repeat at position \(position - 1)")
        case 0x7B:
            // A lone `{` that is not a quantifier is a literal (Annex B).
            return .char(c)
        default: return .char(c)
        }
    }

    private mutating func parseGroup() throws(ECMARegex.SyntaxError) -> RegexNode {
        if current == 0x3F {  // ?
            position += 1
            let kind = current
            position += 1
            switch kind {
            case 0x3A:  // :
                let inner = try parseDisjunction()
                try expectClose()
                return .group(inner, capture: nil)
            case 0x3D, 0x21:  // = !
                let inner = try parseDisjunction()
                try expectClose()
                return .lookahead(inner, negated: kind == 0x21)
            case 0x3C:  // <
                if current == 0x3D || current == 0x21 { throw error("lookbehind (?<= (?<! is not supported") }
                var name = ""
                while let c = current, c != 0x3E, let scalar = Unicode.Scalar(c) {
                    name.unicodeScalars.append(scalar)
                    position += 1
                }
                guard current == 0x3E, !name.isEmpty else { throw error("invalid group name") }
                position += 1
                groupCount += 1
                let index = groupCount
                groupNames[name] = index
                let inner = try parseDisjunction()
                try expectClose()
                return .group(inner, capture: index)
            default: throw error("invalid group syntax '(?' at position \(position - 2)")
            }
        }
        groupCount += 1
        let index = groupCount
        let inner = try parseDisjunction()
        try expectClose()
        return .group(inner, capture: index)
    }

    private mutating func expectClose() throws(ECMARegex.SyntaxError) {
        guard current == 0x29 else { throw error("missing ')'") }
        position += 1
    }

    private mutating func parseEscape() throws(ECMARegex.SyntaxError) -> RegexNode {
        guard let c = current else { throw error("pattern ends with a lone backslash") }
        switch c {
        case 0x62:  // b
            position += 1
            return .wordBoundary(negated: false)
        case 0x42:  // B
            position += 1
            return .wordBoundary(negated: true)
        case 0x31...0x39:  // back-reference
            let value = parseInt() ?? 0
            return .backReference(value)
        case 0x6B where position + 1 < scalars.count && scalars[position + 1] == 0x3C:  // k<name>
            position += 2
            var name = ""
            while let c = current, c != 0x3E, let scalar = Unicode.Scalar(c) {
                name.unicodeScalars.append(scalar)
                position += 1
            }
            guard current == 0x3E else { throw error("invalid named back-reference") }
            position += 1
            return .namedBackReference(name)
        default:
            switch try parseClassEscape(inClass: false) {
            case .scalar(let value): return .char(value)
            case .set(let set): return .charClass(set)
            }
        }
    }

    private enum ClassAtom {
        case scalar(UInt32)
        case set(CharClass)
    }

    /// Parses the escape after a backslash (shared by atoms and classes).
    private mutating func parseClassEscape(inClass: Bool) throws(ECMARegex.SyntaxError) -> ClassAtom {
        guard let c = current else { throw error("pattern ends with a lone backslash") }
        position += 1
        switch c {
        case 0x64: return .set(.digits)  // d
        case 0x44: return .set(CharClass.digits.inverted())
        case 0x77: return .set(.word)  // w
        case 0x57: return .set(CharClass.word.inverted())
        case 0x73: return .set(.space)  // s
        case 0x53: return .set(CharClass.space.inverted())
        case 0x74: return .scalar(0x09)
        case 0x6E: return .scalar(0x0A)
        case 0x76: return .scalar(0x0B)
        case 0x66: return .scalar(0x0C)
        case 0x72: return .scalar(0x0D)
        case 0x62 where inClass: return .scalar(0x08)
        case 0x30:
            if let next = current, next >= 0x30, next <= 0x39 { throw error("invalid escape \\0 followed by a digit") }
            return .scalar(0)
        case 0x63:  // cX
            if let letter = current, (0x41...0x5A).contains(letter) || (0x61...0x7A).contains(letter) {
                position += 1
                return .scalar(letter % 32)
            }
            throw error("invalid control escape \\c")
        case 0x78:  // xHH
            guard let value = parseHex(count: 2) else { throw error("invalid \\x escape") }
            return .scalar(value)
        case 0x75:  // uHHHH or u{…}
            if current == 0x7B {
                position += 1
                var value: UInt32 = 0
                var digits = 0
                while let d = current, let h = Self.hex(d) {
                    value = value * 16 + h
                    digits += 1
                    position += 1
                    if value > 0x10FFFF { throw error("\\u{…} escape above U+10FFFF") }
                }
                guard digits > 0, current == 0x7D else { throw error("invalid \\u{…} escape") }
                position += 1
                return .scalar(value)
            }
            guard let high = parseHex(count: 4) else { throw error("invalid \\u escape") }
            // A surrogate pair written as two escapes is one code point.
            if (0xD800...0xDBFF).contains(high), position + 1 < scalars.count, scalars[position] == 0x5C,
                scalars[position + 1] == 0x75
            {
                let save = position
                position += 2
                if let low = parseHex(count: 4), (0xDC00...0xDFFF).contains(low) {
                    return .scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
                }
                position = save
            }
            return .scalar(high)
        case 0x70, 0x50:  // p{…} P{…}
            return .set(try parseProperty(negated: c == 0x50))
        default:
            if let scalar = Unicode.Scalar(c), scalar.properties.isAlphabetic || (0x30...0x39).contains(c) {
                throw error("invalid escape \\\(scalar)")
            }
            return .scalar(c)
        }
    }

    private mutating func parseHex(count: Int) -> UInt32? {
        guard position + count <= scalars.count else { return nil }
        var value: UInt32 = 0
        for i in 0..<count {
            guard let h = Self.hex(scalars[position + i]) else { return nil }
            value = value * 16 + h
        }
        position += count
        return value
    }

    private static func hex(_ c: UInt32) -> UInt32? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }

    private mutating func parseProperty(negated: Bool) throws(ECMARegex.SyntaxError) -> CharClass {
        guard current == 0x7B else { throw error("\\p must be followed by {…}") }
        position += 1
        var name = ""
        while let c = current, c != 0x7D, let scalar = Unicode.Scalar(c) {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        guard current == 0x7D else { throw error("unterminated \\p{…}") }
        position += 1
        if let equals = name.firstIndex(of: "=") {
            let key = name[..<equals]
            guard key == "General_Category" || key == "gc" else {
                throw error("Unicode property '\(name)' is not supported (only general categories)")
            }
            name = String(name[name.index(after: equals)...])
        }
        guard let categories = Self.generalCategories[name] else {
            throw error("unknown or unsupported Unicode property '\(name)'")
        }
        var set = CharClass()
        set.categories = categories
        set.negated = negated
        return set
    }

    private static let generalCategories: [String: [Unicode.GeneralCategory]] = {
        let table: [(String, String, [Unicode.GeneralCategory])] = [
            ("Lu", "Uppercase_Letter", [.uppercaseLetter]), ("Ll", "Lowercase_Letter", [.lowercaseLetter]),
            ("Lt", "Titlecase_Letter", [.titlecaseLetter]), ("Lm", "Modifier_Letter", [.modifierLetter]),
            ("Lo", "Other_Letter", [.otherLetter]),
            ("L", "Letter", [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter]),
            ("LC", "Cased_Letter", [.uppercaseLetter, .lowercaseLetter, .titlecaseLetter]),
            ("Mn", "Nonspacing_Mark", [.nonspacingMark]), ("Mc", "Spacing_Mark", [.spacingMark]),
            ("Me", "Enclosing_Mark", [.enclosingMark]), ("M", "Mark", [.nonspacingMark, .spacingMark, .enclosingMark]),
            ("Nd", "Decimal_Number", [.decimalNumber]), ("Nl", "Letter_Number", [.letterNumber]),
            ("No", "Other_Number", [.otherNumber]), ("N", "Number", [.decimalNumber, .letterNumber, .otherNumber]),
            ("Pc", "Connector_Punctuation", [.connectorPunctuation]), ("Pd", "Dash_Punctuation", [.dashPunctuation]),
            ("Ps", "Open_Punctuation", [.openPunctuation]), ("Pe", "Close_Punctuation", [.closePunctuation]),
            ("Pi", "Initial_Punctuation", [.initialPunctuation]), ("Pf", "Final_Punctuation", [.finalPunctuation]),
            ("Po", "Other_Punctuation", [.otherPunctuation]),
            (
                "P", "Punctuation",
                [
                    .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
                    .finalPunctuation, .otherPunctuation,
                ]
            ),
            ("Sm", "Math_Symbol", [.mathSymbol]), ("Sc", "Currency_Symbol", [.currencySymbol]),
            ("Sk", "Modifier_Symbol", [.modifierSymbol]), ("So", "Other_Symbol", [.otherSymbol]),
            ("S", "Symbol", [.mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol]),
            ("Zs", "Space_Separator", [.spaceSeparator]), ("Zl", "Line_Separator", [.lineSeparator]),
            ("Zp", "Paragraph_Separator", [.paragraphSeparator]),
            ("Z", "Separator", [.spaceSeparator, .lineSeparator, .paragraphSeparator]),
            ("Cc", "Control", [.control]), ("Cf", "Format", [.format]), ("Cs", "Surrogate", [.surrogate]),
            ("Co", "Private_Use", [.privateUse]), ("Cn", "Unassigned", [.unassigned]),
            ("C", "Other", [.control, .format, .surrogate, .privateUse, .unassigned]),
        ]
        var map: [String: [Unicode.GeneralCategory]] = [:]
        for (short, long, categories) in table {
            map[short] = categories
            map[long] = categories
        }
        map["digit"] = [.decimalNumber]
        map["punct"] = map["P"]
        return map
    }()

    private mutating func parseClass() throws(ECMARegex.SyntaxError) -> CharClass {
        var set = CharClass()
        if current == 0x5E {
            set.negated = true
            position += 1
        }
        while true {
            guard let c = current else { throw error("missing ']'") }
            if c == 0x5D {
                position += 1
                return set
            }
            let first = try parseClassAtom()
            if current == 0x2D, position + 1 < scalars.count, scalars[position + 1] != 0x5D {
                position += 1
                let second = try parseClassAtom()
                guard case .scalar(let low) = first, case .scalar(let high) = second else {
                    throw error("a class range cannot use a class escape like \\d")
                }
                guard low <= high else { throw error("range out of order in character class") }
                set.add(low...high)
                continue
            }
            switch first {
            case .scalar(let value): set.add(value...value)
            case .set(let inner):
                if !inner.negated, inner.excluded.isEmpty {
                    set.low |= inner.low
                    set.high |= inner.high
                    set.ranges += inner.ranges
                    set.categories += inner.categories
                    set.negatedCategories += inner.negatedCategories
                } else {
                    set.excluded.append(inner)
                }
            }
        }
    }

    private mutating func parseClassAtom() throws(ECMARegex.SyntaxError) -> ClassAtom {
        guard let c = current else { throw error("missing ']'") }
        position += 1
        if c == 0x5C { return try parseClassEscape(inClass: true) }
        return .scalar(c)
    }
}

// MARK: - Compiler

private enum Instruction {
    case char(UInt32)
    case any
    case set(Int)
    /// Try `first`, on failure `second`.
    case split(Int, Int)
    case jump(Int)
    case save(Int)
    case inputStart
    case inputEnd
    case wordBoundary(negated: Bool)
    case backReference(Int)
    /// Run the sub-program at `start` (ends in `.match`) as a zero-width test; continue at `next`.
    case lookahead(start: Int, next: Int, negated: Bool)
    /// Fail when the loop body matched nothing since `mark` (ECMA: empty iterations end a loop).
    case progress(slot: Int)
    case match
}

private struct RegexCompiler {
    var program: [Instruction] = []
    var classes: [CharClass] = []
    let groupCount: Int
    let names: [String: Int]
    var registerCount = 0

    init(groupCount: Int, names: [String: Int]) {
        self.groupCount = groupCount
        self.names = names
    }

    mutating func emit(_ node: RegexNode) throws(ECMARegex.SyntaxError) {
        if program.count > 200_000 { throw ECMARegex.SyntaxError(message: "pattern expands to too large a program") }
        switch node {
        case .empty: break
        case .char(let c): program.append(.char(c))
        case .any: program.append(.any)
        case .charClass(let set):
            classes.append(set)
            program.append(.set(classes.count - 1))
        case .sequence(let items):
            for item in items { try emit(item) }
        case .alternation(let items):
            var jumps: [Int] = []
            for (i, item) in items.enumerated() {
                if i < items.count - 1 {
                    let split = program.count
                    program.append(.split(split + 1, -1))
                    try emit(item)
                    jumps.append(program.count)
                    program.append(.jump(-1))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(item)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .group(let inner, let capture):
            if let capture { program.append(.save(capture * 2)) }
            try emit(inner)
            if let capture { program.append(.save(capture * 2 + 1)) }
        case .repeatNode(let inner, let minimum, let maximum, let greedy):
            for _ in 0..<minimum { try emit(inner) }
            let guarded = inner.canBeEmpty
            if let maximum {
                var exits: [Int] = []
                for _ in minimum..<maximum {
                    let split = program.count
                    program.append(.split(-1, -1))
                    exits.append(split)
                    try emitBody(inner, guarded: guarded)
                }
                for split in exits {
                    program[split] = greedy ? .split(split + 1, program.count) : .split(program.count, split + 1)
                }
            } else {
                let loop = program.count
                program.append(.split(-1, -1))
                try emitBody(inner, guarded: guarded)
                program.append(.jump(loop))
                program[loop] = greedy ? .split(loop + 1, program.count) : .split(program.count, loop + 1)
            }
        case .inputStart: program.append(.inputStart)
        case .inputEnd: program.append(.inputEnd)
        case .wordBoundary(let negated): program.append(.wordBoundary(negated: negated))
        case .backReference(let index):
            guard index <= groupCount else {
                throw ECMARegex.SyntaxError(message: "back-reference \\\(index) to a group that does not exist")
            }
            program.append(.backReference(index))
        case .namedBackReference(let name):
            guard let index = names[name] else {
                throw ECMARegex.SyntaxError(message: "back-reference to unknown group '\(name)'")
            }
            program.append(.backReference(index))
        case .lookahead(let inner, let negated):
            let head = program.count
            program.append(.lookahead(start: head + 1, next: -1, negated: negated))
            try emit(inner)
            program.append(.match)
            program[head] = .lookahead(start: head + 1, next: program.count, negated: negated)
        }
    }

    private mutating func emitBody(_ inner: RegexNode, guarded: Bool) throws(ECMARegex.SyntaxError) {
        guard guarded else { return try emit(inner) }
        let slot = (groupCount + 1) * 2 + registerCount
        registerCount += 1
        program.append(.save(slot))
        try emit(inner)
        program.append(.progress(slot: slot))
    }
}

// MARK: - Backtracking machine

private struct Machine {
    let program: [Instruction]
    let classes: [CharClass]
    let bytes: UnsafeBufferPointer<UInt8>
    var slots: [Int]
    var steps = 0

    private enum Frame {
        case branch(pc: Int, position: Int)
        case restore(slot: Int, value: Int)
    }

    private var stack: [Frame] = []

    init(program: [Instruction], classes: [CharClass], bytes: UnsafeBufferPointer<UInt8>, slotCount: Int) {
        self.program = program
        self.classes = classes
        self.bytes = bytes
        self.slots = Array(repeating: -1, count: slotCount)
    }

    static func scalarLength(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead < 0xE0 { return 2 }
        if lead < 0xF0 { return 3 }
        return 4
    }

    @inline(__always)
    private func decode(at position: Int) -> (UInt32, Int) { Self.decode(bytes, at: position) }

    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> (UInt32, Int) {
        let lead = bytes[position]
        if lead < 0x80 { return (UInt32(lead), 1) }
        let length = Self.scalarLength(lead)
        var value = UInt32(lead) & (length == 2 ? 0x1F : length == 3 ? 0x0F : 0x07)
        for i in 1..<length where position + i < bytes.count {
            value = value << 6 | UInt32(bytes[position + i] & 0x3F)
        }
        return (value, length)
    }

    private func isWord(at position: Int) -> Bool { Self.isWord(bytes, at: position) }

    static func isWord(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) -> Bool {
        guard position >= 0, position < bytes.count else { return false }
        let byte = bytes[position]
        return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x5F
    }

    /// `true` on a match from `start`, `false` if none, `nil` when the step budget ran out.
    mutating func run(from pc: Int, start: Int) -> Bool? {
        let base = stack.count
        if pc == 0 {
            for i in slots.indices { slots[i] = -1 }
        }
        var pc = pc
        var position = start
        while true {
            steps += 1
            if steps > ECMARegex.stepLimit { return nil }
            var ok = true
            switch program[pc] {
            case .char(let expected):
                if position < bytes.count {
                    let (scalar, length) = decode(at: position)
                    if scalar == expected {
                        position += length
                        pc += 1
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            case .any:
                if position < bytes.count {
                    let (scalar, length) = decode(at: position)
                    if scalar == 0x0A || scalar == 0x0D || scalar == 0x2028 || scalar == 0x2029 {
                        ok = false
                    } else {
                        position += length
                        pc += 1
                    }
                } else {
                    ok = false
                }
            case .set(let index):
                if position < bytes.count {
                    let (scalar, length) = decode(at: position)
                    if classes[index].contains(scalar) {
                        position += length
                        pc += 1
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            case .split(let first, let second):
                stack.append(.branch(pc: second, position: position))
                pc = first
            case .jump(let target): pc = target
            case .save(let slot):
                stack.append(.restore(slot: slot, value: slots[slot]))
                slots[slot] = position
                pc += 1
            case .progress(let slot):
                if slots[slot] == position { ok = false } else { pc += 1 }
            case .inputStart:
                if position == 0 { pc += 1 } else { ok = false }
            case .inputEnd:
                if position == bytes.count { pc += 1 } else { ok = false }
            case .wordBoundary(let negated):
                let boundary = isWord(at: position - 1) != isWord(at: position)
                if boundary != negated { pc += 1 } else { ok = false }
            case .backReference(let group):
                let from = slots[group * 2]
                let to = slots[group * 2 + 1]
                if from < 0 || to < 0 {
                    pc += 1
                } else {
                    let length = to - from
                    if position + length <= bytes.count,
                        (0..<length).allSatisfy({ bytes[from + $0] == bytes[position + $0] })
                    {
                        position += length
                        pc += 1
                    } else {
                        ok = false
                    }
                }
            case .lookahead(let start, let next, let negated):
                let saved = slots
                guard let found = run(from: start, start: position) else { return nil }
                if found == negated {
                    slots = saved
                    ok = false
                } else {
                    if negated { slots = saved }
                    pc = next
                }
            case .match:
                // Keep the captures a lookahead set; drop its backtrack frames.
                stack.removeSubrange(base...)
                return true
            }
            if !ok {
                // Backtrack.
                var resumed = false
                while stack.count > base {
                    switch stack.removeLast() {
                    case .restore(let slot, let value): slots[slot] = value
                    case .branch(let target, let at):
                        pc = target
                        position = at
                        resumed = true
                    }
                    if resumed { break }
                }
                if !resumed { return false }
            }
        }
    }
}
