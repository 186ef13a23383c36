import Synchronization

/// A JSON text that was checked (it is one JSON value within `limits`) but not yet turned into a
/// ``JSONValue``: parsed on first read and kept. The stream layer hands these out where most
/// consumers never read the tree (a call's arguments validated from their bytes, a usage object
/// read only for its counts).
///
/// A class, so that the copies of the value holding it parse at most once; the cache is behind a
/// lock, as those copies may be read from several tasks.
final class DeferredJSON: Sendable {
    let text: String
    let limits: JSONLimits
    private let cache = Mutex<JSONValue?>(nil)

    /// - Parameter text: a text a checking ``IncrementalJSONParser`` accepted as one JSON value
    ///   within `limits`, so that parsing it with the same bounds succeeds.
    init(text: String, limits: JSONLimits) {
        self.text = text
        self.limits = limits
    }

    /// The parsed value; `nil` only if the text was not what the initializer requires.
    var value: JSONValue? {
        cache.withLock { cached in
            if let cached { return cached }
            cached = try? JSONParser.parse(text, limits: limits)
            return cached
        }
    }
}
