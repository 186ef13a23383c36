internal import ToolRuntime

/// Finds where a JSON Pointer's value starts in the source text, for `file:line:column` diagnostics.
///
/// One linear pass with a container stack (no recursion), over text that ``JSONParser`` has
/// already accepted. When the pointer names something that is not there (a schema keyword that is
/// missing, say), the deepest ancestor that is there is reported instead.
struct JSONSourceLocator {
    let bytes: [UInt8]

    struct Location: Sendable, Hashable {
        /// 1-based.
        var line: Int
        /// 1-based, in bytes.
        var column: Int
    }

    /// The line and column of byte `offset`.
    func location(ofOffset offset: Int) -> Location {
        var line = 1
        var lineStart = 0
        var index = 0
        let end = min(offset, bytes.count)
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        return Location(line: line, column: end - lineStart + 1)
    }

    /// The location of the value at `pointer`, or of its deepest existing ancestor.
    func location(of pointer: JSONPointer) -> Location {
        location(ofOffset: offset(of: pointer))
    }

    private enum Frame {
        case object(key: String?)
        case array(index: Int)

        var component: JSONPointer.Component? {
            switch self {
            case .object(let key): key.map { .key($0) }
            case .array(let index): .index(index)
            }
        }
    }

    /// Byte offset where the value at `pointer` (or its deepest existing ancestor) starts.
    func offset(of pointer: JSONPointer) -> Int {
        let target = pointer.components
        var stack: [Frame] = []
        var bestOffset = 0
        var bestDepth = -1
        var index = 0

        func currentDepthMatches() -> Bool {
            guard stack.count <= target.count else { return false }
            for (depth, frame) in stack.enumerated() where !Self.same(frame.component, target[depth]) { return false }
            return true
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                UInt8(ascii: ":"):
                index += 1
                continue
            case UInt8(ascii: ","):
                if case .array(let position) = stack.last {
                    stack[stack.count - 1] = .array(index: position + 1)
                } else if case .object = stack.last {
                    stack[stack.count - 1] = .object(key: nil)
                }
                index += 1
                continue
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if !stack.isEmpty { stack.removeLast() }
                index += 1
                continue
            default:
                break
            }
            // A string in key position is a key, not a value.
            if case .object(key: nil) = stack.last, byte == UInt8(ascii: "\"") {
                let start = index
                skipString(&index)
                let key = (try? JSONParser.parse(Array(bytes[start..<index])))?.string ?? ""
                stack[stack.count - 1] = .object(key: key)
                continue
            }
            // A value starts here.
            if stack.count > bestDepth, currentDepthMatches() {
                bestOffset = index
                bestDepth = stack.count
                if stack.count == target.count { return index }
            }
            switch byte {
            case UInt8(ascii: "{"):
                stack.append(.object(key: nil))
                index += 1
            case UInt8(ascii: "["):
                stack.append(.array(index: 0))
                index += 1
            case UInt8(ascii: "\""):
                skipString(&index)
            default:
                while index < bytes.count, !isDelimiter(bytes[index]) { index += 1 }
            }
        }
        return bestOffset
    }

    /// From an opening quote to just past the closing one.
    private func skipString(_ index: inout Int) {
        index += 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""):
                index += 1
                return
            default: index += 1
            }
        }
    }

    /// Schema paths do not say whether `/0` is an index or a member named "0"; accept either.
    private static func same(_ lhs: JSONPointer.Component?, _ rhs: JSONPointer.Component) -> Bool {
        switch (lhs, rhs) {
        case (.key(let a)?, .key(let b)): a == b
        case (.index(let a)?, .index(let b)): a == b
        case (.key(let a)?, .index(let b)), (.index(let b)?, .key(let a)): a == String(b)
        case (nil, _): false
        }
    }

    private func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: true
        default: false
        }
    }
}
