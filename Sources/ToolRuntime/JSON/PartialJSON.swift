import OrderedCollections

/// A snapshot of a JSON document in progress, for a UI that shows tool arguments as they stream.
///
/// Take one with ``IncrementalJSONParser/partialSnapshot()`` after every fragment: it costs
/// O(depth + what arrived since the previous snapshot), so keeping a view current over a whole
/// stream costs O(stream), not O(stream²).
///
/// Why a snapshot type and not a ``JSONValue`` per fragment: `JSONValue` arrays and objects are
/// contiguous, so a value of the document so far must copy the members of every open container,
/// and a 2,000-item argument list streamed in 20,000 fragments would copy ~20 million members.
/// Here the members of open containers live in append-only logs shared by the parser and all
/// snapshots (a member, once published, never moves or changes), so a snapshot is a handful of
/// references. The trade-off: reading a member is O(log n) instead of O(1), and ``value``, which
/// builds a plain `JSONValue`, costs O(size) — call it when rendering everything, not per fragment.
/// A UI that draws incrementally reads ``openContainers`` (counts, the newest members) instead.
public struct PartialJSON: Sendable {
    /// An array or object that is still open, with its members completed so far.
    public struct Container: Sendable {
        public let isObject: Bool
        /// The completed members' values, in arrival order. (A repeated object key appears twice
        /// here; ``PartialJSON/value`` applies ``JSONObject``'s rule.)
        public let values: PartialMembers<JSONValue>
        /// For an object, the completed members' keys, parallel to ``values``; empty for an array.
        public let keys: PartialMembers<String>
        /// For an object, the key of the member being read, once the key is complete.
        public let pendingKey: String?
    }

    /// The containers still open, outermost first (empty once the document is complete).
    public let openContainers: [Container]
    /// The decoded bytes so far of the innermost open value when it is a string (whole scalars
    /// only, never half an escape).
    public let openStringBytes: PartialMembers<UInt8>?
    /// The whole value, once the document is complete.
    public let completeValue: JSONValue?

    public var isComplete: Bool { completeValue != nil }

    /// The decoded prefix of the open string.
    public var openString: String? {
        openStringBytes.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The document so far as a plain value: open containers with their members so far, an open
    /// string's prefix, nothing for an unfinished number or literal or for a key whose value has
    /// not started. `nil` before any value started. O(size of the open containers).
    public var value: JSONValue? {
        if let completeValue { return completeValue }
        var child: JSONValue? = openString.map { .string($0) }
        for container in openContainers.reversed() {
            if container.isObject {
                var members = IncrementalJSONParser.makeMembers(
                    keys: ArraySlice(container.keys),
                    values: ArraySlice(container.values)
                )
                if let child, let key = container.pendingKey { members[key] = child }
                child = .object(JSONObject(members))
            } else {
                var elements = Array(container.values)
                if let child { elements.append(child) }
                child = .array(elements)
            }
        }
        return child
    }
}

/// A prefix of an append-only log shared between a parser and its snapshots: a collection
/// of the members published when the snapshot was taken. Subscripting is O(log count).
public struct PartialMembers<Element: Sendable>: RandomAccessCollection, Sendable {
    let last: LogChunk<Element>?
    public let count: Int

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        var chunk = last
        while let current = chunk {
            if position >= current.start { return current.elements[position - current.start] }
            chunk = current.previous
        }
        preconditionFailure("index out of range")
    }

    /// Visits the elements chunk by chunk (O(count), unlike repeated subscripting).
    public func forEach(_ body: (Element) throws -> Void) rethrows {
        var chunks: [LogChunk<Element>] = []
        var chunk = last
        while let current = chunk {
            chunks.append(current)
            chunk = current.previous
        }
        for chunk in chunks.reversed() {
            for offset in 0..<Swift.min(chunk.capacity, count - chunk.start) { try body(chunk.elements[offset]) }
        }
    }
}

extension Array where Element: Sendable {
    init(_ members: PartialMembers<Element>) {
        self.init()
        reserveCapacity(members.count)
        members.forEach { append($0) }
    }
}

/// One chunk of an append-only log. Chunks double in size and never move, so a slot written
/// before a snapshot was taken stays where it is, unchanged, for as long as the snapshot lives.
///
/// `@unchecked Sendable`, because its slots are raw memory: a slot is written exactly once, by the
/// single owner of the log (``PartialMirror``, whose uniqueness the parser checks before every
/// write, as copy-on-write storage does), and only before any snapshot that can read it exists.
/// Snapshots read only slots below their own `count`, written before the snapshot was handed
/// out; `written` is touched only by that owner and by `deinit`, when no one else holds the chunk.
final class LogChunk<Element: Sendable>: @unchecked Sendable {
    let previous: LogChunk<Element>?
    /// The log index of this chunk's first slot.
    let start: Int
    let capacity: Int
    let elements: UnsafeMutablePointer<Element>
    var written = 0

    init(previous: LogChunk<Element>?, start: Int, capacity: Int) {
        self.previous = previous
        self.start = start
        self.capacity = capacity
        elements = .allocate(capacity: capacity)
    }

    deinit {
        elements.deinitialize(count: written)
        elements.deallocate()
    }
}

/// The writing end of an append-only log.
struct AppendLog<Element: Sendable> {
    private(set) var last: LogChunk<Element>?
    private(set) var count = 0

    @inline(__always)
    mutating func append(_ element: Element) {
        let chunk: LogChunk<Element>
        if let last, last.written < last.capacity {
            chunk = last
        } else {
            chunk = LogChunk(previous: last, start: count, capacity: Swift.max(8, count))
            last = chunk
        }
        (chunk.elements + chunk.written).initialize(to: element)
        chunk.written += 1
        count += 1
    }

    var published: PartialMembers<Element> { PartialMembers(last: last, count: count) }
}

/// What a parser has published for its snapshots: per open container, logs of its members.
///
/// `@unchecked Sendable`: only a parser holding the sole reference mutates it (the parser
/// checks `isKnownUniquelyReferenced` first and starts a fresh mirror otherwise), so two
/// threads never touch one mirror; snapshots hold log chunks, never the mirror.
final class PartialMirror: @unchecked Sendable {
    struct Level {
        var frameID: Int
        var values = AppendLog<JSONValue>()
        var keys = AppendLog<String>()
    }

    var levels: [Level] = []
    /// Identifies the open string the byte log belongs to (its quote's offset).
    var stringStart = -1
    var string = AppendLog<UInt8>()
}

extension IncrementalJSONParser {
    /// A snapshot of the value so far that shares storage with the parser and earlier snapshots.
    ///
    /// Costs O(depth + members and string bytes completed since the previous snapshot), so taking
    /// one after every fragment keeps a UI current in O(stream) overall. See ``PartialJSON``.
    public mutating func partialSnapshot() -> PartialJSON {
        if mode == .done {
            return PartialJSON(openContainers: [], openStringBytes: nil, completeValue: result)
        }
        if mirror == nil || !isKnownUniquelyReferenced(&mirror!) {
            mirror = PartialMirror()
        }
        let mirror = mirror!
        // Forget the containers that closed since the previous snapshot.
        var common = 0
        while common < mirror.levels.count, common < frames.count, mirror.levels[common].frameID == frames[common].id {
            common += 1
        }
        mirror.levels.removeLast(mirror.levels.count - common)

        var containers: [PartialJSON.Container] = []
        containers.reserveCapacity(frames.count)
        for index in frames.indices {
            let frame = frames[index]
            if index == mirror.levels.count { mirror.levels.append(PartialMirror.Level(frameID: frame.id)) }
            let isInnermost = index == frames.count - 1
            let valueEnd = isInnermost ? values.count : frames[index + 1].valueStart
            let keyEnd = isInnermost ? keys.count : frames[index + 1].keyStart
            while frame.valueStart + mirror.levels[index].values.count < valueEnd {
                mirror.levels[index].values.append(values[frame.valueStart + mirror.levels[index].values.count])
            }
            let memberCount = valueEnd - frame.valueStart
            while frame.keyStart + mirror.levels[index].keys.count < min(keyEnd, frame.keyStart + memberCount) {
                mirror.levels[index].keys.append(keys[frame.keyStart + mirror.levels[index].keys.count])
            }
            let level = mirror.levels[index]
            containers.append(
                PartialJSON.Container(
                    isObject: frame.isObject,
                    values: level.values.published,
                    keys: level.keys.published,
                    pendingKey: frame.isObject && keyEnd > frame.keyStart + memberCount ? keys[keyEnd - 1] : nil
                )
            )
        }

        var openString: PartialMembers<UInt8>?
        if mode == .string {
            if mirror.stringStart != tokenStart {
                mirror.stringStart = tokenStart
                mirror.string = AppendLog()
            }
            let boundary = stringIsBuffered ? scalarBoundary : 0
            unescaper.output.withUnsafeBufferPointer { bytes in
                for index in mirror.string.count..<max(boundary, mirror.string.count) {
                    mirror.string.append(bytes[index])
                }
            }
            openString = mirror.string.published
        }
        return PartialJSON(openContainers: containers, openStringBytes: openString, completeValue: nil)
    }
}
