public import Foundation

/// The demo shop's bundled SQL files.
public enum CatalogData {
    /// The folder holding `schema.sql` and the seed files, inside this target's resource bundle.
    public static var sqlDirectory: URL { Bundle.module.url(forResource: "sql", withExtension: nil)! }
}
