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
        public internal(set) var values: PartialMembers<JSONValue>
        /// For an object, the completed members' keys, parallel to ``values``; empty for an array.
        public internal(set) var keys: PartialMembers<String>
        /// For an object, the key of the member being read, once the key is complete.
        public internal(set) var pendingKey: String?
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

/// Two snapshots are equal when they show the same document so far (``PartialJSON/value``), which
/// is what a UI renders; comparing or hashing one costs O(size), as reading ``PartialJSON/value`` does.
extension PartialJSON: Hashable {
    public static func == (lhs: PartialJSON, rhs: PartialJSON) -> Bool { lhs.value == rhs.value }

    public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}

/// A prefix of an append-only log shared between a parser and its snapshots: a collection
/// of the members published when the snapshot was taken. Subscripting is O(log count).
public struct PartialMembers<Element: Sendable>: RandomAccessCollection, Sendable {
    @usableFromInline let last: LogChunk<Element>?
    public let count: Int

    @usableFromInline
    init(last: LogChunk<Element>? = nil, count: Int = 0) {
        self.last = last
        self.count = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    @inlinable
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
/// one parser that owns the log (it checks that it holds the only reference to its
/// `PartialMirror.Owner` before every write, as copy-on-write storage does; a copied parser starts
/// fresh logs), and only before any snapshot that can read it exists.
/// Snapshots read only slots below their own `count`, written before the snapshot was handed
/// out; `written` is touched only by that owner and by `deinit`, when no one else holds the chunk.
@usableFromInline
final class LogChunk<Element: Sendable>: @unchecked Sendable {
    @usableFromInline let previous: LogChunk<Element>?
    /// The log index of this chunk's first slot.
    @usableFromInline let start: Int
    let capacity: Int
    @usableFromInline let elements: UnsafeMutablePointer<Element>
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
struct AppendLog<Element: Sendable>: Sendable {
    private(set) var last: LogChunk<Element>?
    private(set) var count = 0

    /// Makes room for at least one more element, and returns the chunk to write to.
    @inline(__always)
    private mutating func writableChunk() -> LogChunk<Element> {
        if let last, last.written < last.capacity { return last }
        let chunk = LogChunk(previous: last, start: count, capacity: Swift.max(8, count))
        last = chunk
        return chunk
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        let chunk = writableChunk()
        (chunk.elements + chunk.written).initialize(to: element)
        chunk.written += 1
        count += 1
    }

    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        var index = 0
        while index < elements.count {
            let chunk = writableChunk()
            let n = Swift.min(chunk.capacity - chunk.written, elements.count - index)
            (chunk.elements + chunk.written).initialize(from: elements.baseAddress! + index, count: n)
            chunk.written += n
            count += n
            index += n
        }
    }

    var published: PartialMembers<Element> { PartialMembers(last: last, count: count) }
}

/// What a parser has published for its snapshots: per open container, logs of its members, and
/// the bytes of the open string.
struct PartialMirror: Sendable {
    /// Only a parser holding the sole reference to its owner may append to the logs (a copied
    /// parser starts a fresh mirror), so two parsers never write to one chunk.
    final class Owner: Sendable {}

    struct Level: Sendable {
        var frameID: Int
        var values = AppendLog<JSONValue>()
        var keys = AppendLog<String>()
        /// Where the pending key shown in `containers` is in the parser's key stack (-1: none).
        var pendingKeyIndex = -1
    }

    var owner: Owner?
    var levels: [Level] = []
    /// The open containers as the last snapshot showed them, updated in place (copied instead
    /// only when a UI still holds that snapshot), so a level that did not change costs nothing.
    var containers: [PartialJSON.Container] = []
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
        if !isKnownUniquelyReferenced(&mirror.owner) {
            mirror = PartialMirror(owner: PartialMirror.Owner())
        }
        // Forget the containers that closed since the previous snapshot.
        var common = 0
        while common < mirror.levels.count, common < frames.count, mirror.levels[common].frameID == frames[common].id {
            common += 1
        }
        if common < mirror.levels.count {
            mirror.levels.removeSubrange(common...)
            mirror.containers.removeSubrange(common...)
        }

        for index in frames.indices {
            let frame = frames[index]
            if index == mirror.levels.count {
                mirror.levels.append(PartialMirror.Level(frameID: frame.id))
                mirror.containers.append(
                    PartialJSON.Container(isObject: frame.isObject, values: .init(), keys: .init(), pendingKey: nil)
                )
            }
            let isInnermost = index == frames.count - 1
            let valueEnd = isInnermost ? values.count : frames[index + 1].valueStart
            let keyEnd = isInnermost ? keys.count : frames[index + 1].keyStart
            let memberCount = valueEnd - frame.valueStart
            var published = mirror.levels[index].values.count
            if published < memberCount {
                while published < memberCount {
                    mirror.levels[index].values.append(values[frame.valueStart + published])
                    if frame.isObject { mirror.levels[index].keys.append(keys[frame.keyStart + published]) }
                    published += 1
                }
                mirror.containers[index].values = mirror.levels[index].values.published
                mirror.containers[index].keys = mirror.levels[index].keys.published
            }
            let pendingKeyIndex = frame.isObject && keyEnd > frame.keyStart + memberCount ? keyEnd - 1 : -1
            if pendingKeyIndex != mirror.levels[index].pendingKeyIndex {
                mirror.levels[index].pendingKeyIndex = pendingKeyIndex
                mirror.containers[index].pendingKey = pendingKeyIndex >= 0 ? keys[pendingKeyIndex] : nil
            }
        }

        var openString: PartialMembers<UInt8>?
        if mode == .string {
            if mirror.stringStart != tokenStart {
                mirror.stringStart = tokenStart
                mirror.string = AppendLog()
            }
            let boundary = stringIsBuffered ? scalarBoundary : 0
            if boundary > mirror.string.count {
                unescaper.output.withUnsafeBufferPointer { bytes in
                    mirror.string.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[mirror.string.count..<boundary]))
                }
            }
            openString = mirror.string.published
        }
        return PartialJSON(openContainers: mirror.containers, openStringBytes: openString, completeValue: nil)
    }
}
