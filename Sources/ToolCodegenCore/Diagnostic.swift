/// A problem found in a tools file, located by JSON Pointer and by line and column.
///
/// Prints in the `file:line:column: error: message` form that SwiftPM and editors turn into an
/// issue at that place:
///
/// ```
/// Schemas/orders.tools.json:14:23: error: invalid schema: "minimum" must be a number at JSON path /0/parameters/properties/quantity/minimum
/// ```
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    public var severity: Severity
    /// The file as it was named to the generator.
    public var file: String
    /// 1-based line of the offending value in `file`.
    public var line: Int
    /// 1-based byte column of the offending value in `file`.
    public var column: Int
    /// Where in the file's JSON the problem is.
    public var path: JSONPointer
    public var message: String

    public init(severity: Severity, file: String, line: Int, column: Int, path: JSONPointer, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.path = path
        self.message = message
    }

    public var description: String {
        let at = path.components.isEmpty ? "at the top level" : "at JSON path \(path)"
        return "\(file):\(line):\(column): \(severity.rawValue): \(message) \(at)"
    }
}

/// One Swift source file the generator produced.
public struct GeneratedFile: Sendable, Hashable {
    /// The file name the plugin and CLI write it under, e.g. `products+Arguments.swift`.
    public var name: String
    public var contents: String

    public init(name: String, contents: String) {
        self.name = name
        self.contents = contents
    }
}
