public import Foundation

/// The demo shop's bundled SQL: the schema and the seed data, as resources of this target, so an
/// embedding server gets them without copying files.
public enum CatalogData {
    /// A bundled SQL file that could not be read (a broken install, never bad user input).
    public struct MissingResource: Error, Sendable, CustomStringConvertible {
        /// The file's name inside the bundle's `sql/` folder.
        public var name: String
        public var description: String { "the catalog resource sql/\(name) is missing from the CatalogData bundle" }
    }

    /// The folder holding `schema.sql` and `seed.sql`, inside this target's resource bundle.
    public static var sqlDirectory: URL? { Bundle.module.url(forResource: "sql", withExtension: nil) }

    /// The text of `schema.sql`: every table, constraint, index and trigger of the shop.
    public static func schemaSQL() throws(MissingResource) -> String { try sql(named: "schema.sql") }

    /// The text of `seed.sql`: the generated demo data (products, customers, orders).
    public static func seedSQL() throws(MissingResource) -> String { try sql(named: "seed.sql") }

    private static func sql(named name: String) throws(MissingResource) -> String {
        guard let directory = sqlDirectory,
            let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        else { throw MissingResource(name: name) }
        return text
    }
}
