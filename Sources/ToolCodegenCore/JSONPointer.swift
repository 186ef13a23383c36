/// A JSON Pointer (RFC 6901) into a tools file, e.g. `/0/parameters/properties/query`.
///
/// Used for diagnostics (mapped to a line and column by ``JSONSourceLocator``) and for the
/// `- Remark: Generated from` lines of generated code.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public var components: [Component]

    public init(_ components: [Component] = []) { self.components = components }

    /// Parses pointer text such as `/properties/a~1b` (as in ``ToolRuntime/SchemaCompileError/schemaPath``).
    ///
    /// Numeric tokens become indices, since schema paths index arrays (`/oneOf/1`) far more often
    /// than they name members that look like numbers.
    public init(parsing text: String) {
        let tokens = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        components = tokens.map { token in
            let key = String(token).replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            if let index = Int(key), index >= 0, String(index) == key { return .index(index) }
            return .key(key)
        }
    }

    public static func / (pointer: JSONPointer, key: String) -> JSONPointer {
        JSONPointer(pointer.components + [.key(key)])
    }

    public static func / (pointer: JSONPointer, index: Int) -> JSONPointer {
        JSONPointer(pointer.components + [.index(index)])
    }

    public static func + (pointer: JSONPointer, suffix: JSONPointer) -> JSONPointer {
        JSONPointer(pointer.components + suffix.components)
    }

    /// `""` for the root, else `/`-separated tokens with `~` and `/` escaped.
    public var description: String {
        components.map { component in
            switch component {
            case .index(let index): "/\(index)"
            case .key(let key): "/" + key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            }
        }.joined()
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var result = ""
        var remainder = self[...]
        while let range = remainder.firstRange(of: target) {
            result += remainder[..<range.lowerBound]
            result += replacement
            remainder = remainder[range.upperBound...]
        }
        return result + remainder
    }
}
