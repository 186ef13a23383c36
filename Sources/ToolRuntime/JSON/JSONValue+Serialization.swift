import OrderedCollections

extension JSONValue {
    /// Compact JSON text: no insignificant whitespace, members in their stored order, number
    /// lexemes as received, non-ASCII as UTF-8, control characters escaped.
    public var jsonText: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Appends the compact JSON text of this value to `output`. Iterative: any depth is safe.
    public func write(to output: inout String) {
        enum Work {
            case value(JSONValue)
            case text(StaticString)
            case key(String)
        }
        var work: [Work] = [.value(self)]
        while let item = work.popLast() {
            switch item {
            case .text(let text): output.append(text.description)
            case .key(let key):
                JSONValue.writeString(key, to: &output)
                output.append(":")
            case .value(let value):
                switch value {
                case .null: output.append("null")
                case .bool(let flag): output.append(flag ? "true" : "false")
                case .number(let number): output.append(number.lexeme)
                case .string(let string): JSONValue.writeString(string, to: &output)
                case .array(let elements):
                    output.append("[")
                    work.append(.text("]"))
                    for (offset, element) in elements.enumerated().reversed() {
                        work.append(.value(element))
                        if offset > 0 { work.append(.text(",")) }
                    }
                case .object(let object):
                    output.append("{")
                    work.append(.text("}"))
                    for (offset, member) in object.members.elements.enumerated().reversed() {
                        work.append(.value(member.value))
                        work.append(.key(member.key))
                        if offset > 0 { work.append(.text(",")) }
                    }
                }
            }
        }
    }

    /// Appends `string` as a JSON string literal.
    public static func writeString(_ string: String, to output: inout String) {
        output.append("\"")
        var pendingStart = string.utf8.startIndex
        let utf8 = string.utf8
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            let escape: String? =
                switch byte {
                case UInt8(ascii: "\""): "\\\""
                case UInt8(ascii: "\\"): "\\\\"
                case 0x0A: "\\n"
                case 0x0D: "\\r"
                case 0x09: "\\t"
                case 0x08: "\\b"
                case 0x0C: "\\f"
                case 0x00..<0x20: "\\u00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
                default: nil
                }
            if let escape {
                output.append(contentsOf: string[pendingStart..<index])
                output.append(escape)
                pendingStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        output.append(contentsOf: string[pendingStart..<utf8.endIndex])
        output.append("\"")
    }
}

extension JSONValue: CustomStringConvertible {
    public var description: String { jsonText }
}
