/// `format` checks, applied only when format assertion is asked for (an annotation otherwise).
///
/// Written as small byte scanners rather than regexes: exact RFC grammar for the common formats,
/// no Foundation date parsing (which accepts more than RFC 3339).
enum SchemaFormat: Sendable {
    case dateTime, date, time, duration
    case email, idnEmail
    case hostname, idnHostname
    case ipv4, ipv6
    case uri, uriReference, iri, iriReference, uriTemplate
    case uuid
    case jsonPointer, relativeJSONPointer
    case regex

    init?(name: String) {
        switch name {
        case "date-time": self = .dateTime
        case "date": self = .date
        case "time": self = .time
        case "duration": self = .duration
        case "email": self = .email
        case "idn-email": self = .idnEmail
        case "hostname": self = .hostname
        case "idn-hostname": self = .idnHostname
        case "ipv4": self = .ipv4
        case "ipv6": self = .ipv6
        case "uri": self = .uri
        case "uri-reference": self = .uriReference
        case "iri": self = .iri
        case "iri-reference": self = .iriReference
        case "uri-template": self = .uriTemplate
        case "uuid": self = .uuid
        case "json-pointer": self = .jsonPointer
        case "relative-json-pointer": self = .relativeJSONPointer
        case "regex": self = .regex
        default: return nil
        }
    }

    func accepts(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        switch self {
        case .dateTime: return Self.dateTime(bytes)
        case .date: return Self.date(bytes[...])
        case .time: return Self.time(bytes[...])
        case .duration: return Self.duration(bytes)
        case .email: return Self.email(string, international: false)
        case .idnEmail: return Self.email(string, international: true)
        case .hostname: return Self.hostname(string, international: false)
        case .idnHostname: return Self.hostname(string, international: true)
        case .ipv4: return Self.ipv4(bytes[...])
        case .ipv6: return Self.ipv6(string)
        case .uri: return Self.uri(string, absolute: true, international: false)
        case .uriReference: return Self.uri(string, absolute: false, international: false)
        case .iri: return Self.uri(string, absolute: true, international: true)
        case .iriReference: return Self.uri(string, absolute: false, international: true)
        case .uriTemplate: return Self.uriTemplate(string)
        case .uuid: return Self.uuid(bytes)
        case .jsonPointer: return Self.jsonPointer(string)
        case .relativeJSONPointer: return Self.relativeJSONPointer(string)
        case .regex: return (try? ECMARegex(string)) != nil
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
    private static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }
    private static func isAlpha(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.allSatisfy(isDigit) else { return nil }
        return bytes.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    // MARK: Dates and times (RFC 3339)

    static func date(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
            let year = number(b[0..<4]), let month = number(b[5..<7]), let day = number(b[8..<10])
        else { return false }
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }

    static func time(_ bytes: ArraySlice<UInt8>) -> Bool {
        let b = Array(bytes)
        guard b.count >= 9, b[2] == 0x3A, b[5] == 0x3A,
            let hour = number(b[0..<2]), let minute = number(b[3..<5]), let second = number(b[6..<8])
        else { return false }
        var i = 8
        if b[i] == 0x2E {
            i += 1
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            guard i > start else { return false }
        }
        guard i < b.count else { return false }
        var offsetMinutes = 0
        switch b[i] {
        case 0x5A, 0x7A: guard i + 1 == b.count else { return false }
        case 0x2B, 0x2D:
            guard b.count - i == 6, b[i + 3] == 0x3A,
                let oh = number(b[(i + 1)..<(i + 3)]), let om = number(b[(i + 4)..<(i + 6)]), oh <= 23, om <= 59
            else { return false }
            offsetMinutes = (oh * 60 + om) * (b[i] == 0x2B ? 1 : -1)
        default: return false
        }
        guard hour <= 23, minute <= 59, second <= 60 else { return false }
        if second == 60 {
            // A leap second exists only at 23:59:60 UTC.
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    static func dateTime(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 11, bytes[10] == 0x54 || bytes[10] == 0x74 else { return false }
        return date(bytes[0..<10]) && time(bytes[11...])
    }

    static func duration(_ bytes: [UInt8]) -> Bool {
        guard bytes.first == 0x50 else { return false }  // P
        var i = 1
        var inTime = false
        var sawComponent = false
        var sawWeeks = false
        var order = ""
        while i < bytes.count {
            if bytes[i] == 0x54 {  // T
                guard !inTime else { return false }
                inTime = true
                i += 1
                guard i < bytes.count else { return false }
                continue
            }
            let start = i
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            guard i > start, i < bytes.count else { return false }
            let unit = Character(Unicode.Scalar(bytes[i]))
            let allowed = inTime ? "HMS" : "YMDW"
            guard allowed.contains(unit) else { return false }
            let key = (inTime ? "t" : "d") + String(unit)
            // Units in order, each once.
            let sequence = ["dY", "dM", "dW", "dD", "tH", "tM", "tS"]
            if let last = order.split(separator: ",").last, let lastIndex = sequence.firstIndex(of: String(last)),
                let thisIndex = sequence.firstIndex(of: key), thisIndex <= lastIndex
            {
                return false
            }
            order += (order.isEmpty ? "" : ",") + key
            if unit == "W" { sawWeeks = true }
            sawComponent = true
            i += 1
        }
        if sawWeeks, order != "dW" { return false }
        if inTime, !order.contains("t") { return false }
        return sawComponent
    }

    // MARK: Internet

    static func ipv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard let value = number(part), value <= 255, part.count <= 3 else { return false }
            if part.count > 1, part.first == 0x30 { return false }
        }
        return true
    }

    static func ipv6(_ string: String) -> Bool {
        var text = Substring(string)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII }) else { return false }
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: ":"), text[text.index(after: lastColon)...].contains(".") {
            guard ipv4(Array(text[text.index(after: lastColon)...].utf8)[...]) else { return false }
            text = text[...lastColon]
            if text.hasSuffix("::") {
                text = text + "0"
            } else {
                text = text.dropLast()
            }
            groupsNeeded = 6
        }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ part: Substring) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for piece in pieces {
                guard (1...4).contains(piece.count), piece.utf8.allSatisfy(isHex) else { return nil }
            }
            return pieces.count
        }
        if halves.count == 1 {
            return groups(halves[0]) == groupsNeeded
        }
        guard let left = groups(halves[0]), let right = groups(halves[1]) else { return false }
        return left + right < groupsNeeded
    }

    static func hostname(_ string: String, international: Bool) -> Bool {
        let text = string
        guard !text.isEmpty, text.utf8.count <= 253 || international else { return false }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) {
            guard !label.isEmpty, label.utf8.count <= 63 || international else { return false }
            guard label.first != "-", label.last != "-" else { return false }
            for scalar in label.unicodeScalars {
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    guard isAlpha(byte) || isDigit(byte) || byte == 0x2D else { return false }
                } else if !international {
                    return false
                } else if scalar.properties.generalCategory == .spaceSeparator
                    || scalar.properties.generalCategory == .control
                {
                    return false
                }
            }
            if !international, label.count >= 4, label.dropFirst(2).hasPrefix("--"), !label.lowercased().hasPrefix("xn--") {
                return false
            }
        }
        return true
    }

    static func email(_ string: String, international: Bool) -> Bool {
        guard let at = string.lastIndex(of: "@") else { return false }
        let local = string[..<at]
        let domain = string[string.index(after: at)...]
        guard !local.isEmpty, !domain.isEmpty else { return false }
        if local.hasPrefix("\""), local.hasSuffix("\""), local.count >= 2 {
            // quoted local part: anything printable
        } else {
            guard !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else { return false }
            let allowed = Set("!#$%&'*+-/=?^_`{|}~.".utf8)
            for scalar in local.unicodeScalars {
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    guard isAlpha(byte) || isDigit(byte) || allowed.contains(byte) else { return false }
                } else if !international {
                    return false
                }
            }
        }
        if domain.hasPrefix("["), domain.hasSuffix("]") {
            let inner = domain.dropFirst().dropLast()
            if inner.hasPrefix("IPv6:") { return ipv6(String(inner.dropFirst(5))) }
            return ipv4(Array(inner.utf8)[...])
        }
        return hostname(String(domain), international: international)
    }

    static func uri(_ string: String, absolute: Bool, international: Bool) -> Bool {
        let unreserved = Set("-._~!$&'()*+,;=:@/?#[]%".utf8)
        var index = string.utf8.startIndex
        let utf8 = string.utf8
        for scalar in string.unicodeScalars {
            if !scalar.isASCII {
                guard international else { return false }
                continue
            }
            let byte = UInt8(scalar.value)
            guard isAlpha(byte) || isDigit(byte) || unreserved.contains(byte) else { return false }
        }
        // Percent escapes must be complete.
        while index < utf8.endIndex {
            if utf8[index] == 0x25 {
                let a = utf8.index(after: index)
                guard a < utf8.endIndex, isHex(utf8[a]) else { return false }
                let b = utf8.index(after: a)
                guard b < utf8.endIndex, isHex(utf8[b]) else { return false }
            }
            index = utf8.index(after: index)
        }
        let parts = SchemaURI.parse(string)
        if absolute {
            guard let scheme = parts.scheme, let first = scheme.utf8.first, isAlpha(first) else { return false }
        }
        if let authority = parts.authority {
            // "[" and "]" only around an IP literal host; userinfo has no "[".
            let host = authority.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
            if host.contains("[") || host.contains("]") {
                guard host.hasPrefix("["), let close = host.firstIndex(of: "]") else { return false }
                let literal = host[host.index(after: host.startIndex)..<close]
                guard ipv6(String(literal)) else { return false }
            }
            if authority.split(separator: "@", maxSplits: 1).count == 2,
                authority.split(separator: "@", maxSplits: 1)[0].contains("[")
            {
                return false
            }
        }
        if parts.path.contains("[") || parts.path.contains("]") { return false }
        if let fragment = parts.fragment, fragment.contains("#") { return false }
        if !absolute, parts.scheme == nil, let colon = parts.path.firstIndex(of: ":") {
            // A relative reference's first segment cannot hold ':'.
            let firstSegment = parts.path[..<(parts.path.firstIndex(of: "/") ?? parts.path.endIndex)]
            if firstSegment.contains(":"), colon < (parts.path.firstIndex(of: "/") ?? parts.path.endIndex) { return false }
        }
        return true
    }

    static func uriTemplate(_ string: String) -> Bool {
        var open = false
        for character in string {
            if character == "{" {
                if open { return false }
                open = true
            } else if character == "}" {
                if !open { return false }
                open = false
            }
        }
        return !open
    }

    static func uuid(_ bytes: [UInt8]) -> Bool {
        guard bytes.count == 36 else { return false }
        for (i, byte) in bytes.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard byte == 0x2D else { return false }
            } else if !isHex(byte) {
                return false
            }
        }
        return true
    }

    static func jsonPointer(_ string: String) -> Bool {
        guard string.isEmpty || string.hasPrefix("/") else { return false }
        var utf8 = Array(string.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == 0x7E {
                guard let next = utf8.popFirst(), next == 0x30 || next == 0x31 else { return false }
            }
        }
        return true
    }

    static func relativeJSONPointer(_ string: String) -> Bool {
        let bytes = Array(string.utf8)
        var i = 0
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        guard i > 0, !(i > 1 && bytes[0] == 0x30) else { return false }
        var rest = bytes[i...]
        if rest.first == 0x2B || rest.first == 0x2D {
            // index manipulation: +N or -N
            rest = rest.dropFirst()
            var digits = 0
            while let first = rest.first, isDigit(first) {
                rest = rest.dropFirst()
                digits += 1
            }
            guard digits > 0 else { return false }
        }
        if rest == [0x23] { return true }
        return jsonPointer(String(decoding: rest, as: UTF8.self))
    }
}

extension StringProtocol {
    fileprivate func components(separatedBy separator: String) -> [Substring] {
        var result: [Substring] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            result.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        result.append(rest)
        return result
    }
}
