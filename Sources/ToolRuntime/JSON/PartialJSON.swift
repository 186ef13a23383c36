import OrderedCollections

/// A snapshot of a JSON document in progress, for a UI that shows tool arguments as they stream.
///
/// Take one with ``IncrementalJSONParser/partialSnapshot()`` after every fragment: it costs
/// O(what arrived since the previous snapshot) and allocates only when a container opens or a log
/// doubles, so keeping a view current over a whole stream costs O(stream), not O(stream²).
///
/// Why a snapshot type and not a ``JSONValue`` per fragment: `JSONValue` arrays and objects are
/// contiguous, so a value of the document so far must copy the members of every open container,
/// and a 2,000-item argument list streamed in 20,000 fragments would copy ~20 million members.
/// Here the members of open containers live in append-only logs shared by the parser and all
/// snapshots (a member, once published, never moves or changes), and the open containers form an
/// immutable chain shared the same way, so a snapshot is two references and a few counts. The
/// trade-off: ``value``, which builds a plain `JSONValue`, costs O(size) — call it when rendering
/// everything, not per fragment. A UI that draws incrementally walks the open containers from
/// ``innermostContainer`` through ``Container/enclosing`` (counts, the newest members) instead.
public struct PartialJSON: Sendable {
    /// An array or object that is still open, with its members completed so far.
    ///
    /// A view of the snapshot it came from: reading ``count``, ``isObject`` or ``enclosing`` costs
    /// O(1) and allocates nothing.
    public struct Container: Sendable {
        @usableFromInline let frame: PartialFrame
        /// Members completed when the snapshot was taken.
        public let count: Int
        /// Keys completed when the snapshot was taken: `count`, or one more for a pending key.
        @usableFromInline let keyCount: Int

        @inlinable
        init(frame: PartialFrame, count: Int, keyCount: Int) {
            self.frame = frame
            self.count = count
            self.keyCount = keyCount
        }

        /// Whether this container is an object (else an array).
        @inlinable public var isObject: Bool { frame.isObject }

        /// The completed members' values, in arrival order. (A repeated object key appears twice
        /// here; ``PartialJSON/value`` applies ``JSONObject``'s rule.)
        @inlinable
        public var values: PartialMembers<JSONValue> {
            PartialMembers(log: frame.values, start: frame.valueStart, count: count)
        }

        /// For an object, the completed members' keys, parallel to ``values``; empty for an array.
        @inlinable
        public var keys: PartialMembers<String> {
            PartialMembers(log: frame.keys, start: frame.keyStart, count: frame.isObject ? count : 0)
        }

        /// For an object, the key of the member being read, once the key is complete.
        public var pendingKey: String? {
            keyCount > count ? frame.keys?.element(at: frame.keyStart + count) : nil
        }

        /// The container this one is a member of (`nil` for the outermost one), as it was when the
        /// snapshot was taken. O(1).
        @inlinable
        public var enclosing: Container? {
            frame.parent.map { Container(frame: $0, count: frame.parentCount, keyCount: frame.parentKeyCount) }
        }
    }

    /// The innermost open container, or `nil` while none is open.
    @usableFromInline let innermost: PartialFrame?
    /// Members and keys of the innermost open container.
    @usableFromInline let innermostCount: Int
    @usableFromInline let innermostKeyCount: Int
    /// Where the open string's bytes start in the parser's string log, and how many (-1: no open string).
    @usableFromInline let stringStart: Int
    @usableFromInline let stringCount: Int
    /// The string log while no container is open (a top-level string); inside a container the
    /// innermost frame holds it, so that a snapshot retains one object, not two.
    @usableFromInline let topLevelStrings: PartialLog<UInt8>?
    /// The whole value, once the document is complete.
    public let completeValue: JSONValue?

    init(completeValue: JSONValue) {
        innermost = nil
        innermostCount = 0
        innermostKeyCount = 0
        stringStart = 0
        stringCount = -1
        topLevelStrings = nil
        self.completeValue = completeValue
    }

    init(
        innermost: PartialFrame?,
        count: Int,
        keyCount: Int,
        topLevelStrings: PartialLog<UInt8>?,
        stringStart: Int,
        stringCount: Int
    ) {
        self.innermost = innermost
        innermostCount = count
        innermostKeyCount = keyCount
        self.topLevelStrings = topLevelStrings
        self.stringStart = stringStart
        self.stringCount = stringCount
        completeValue = nil
    }

    public var isComplete: Bool { completeValue != nil }

    /// How many containers are open (0 once the document is complete). O(1).
    @inlinable public var depth: Int { innermost?.depth ?? 0 }

    /// The innermost open container; walk outwards with ``Container/enclosing``. O(1), no allocation.
    @inlinable
    public var innermostContainer: Container? {
        innermost.map { Container(frame: $0, count: innermostCount, keyCount: innermostKeyCount) }
    }

    /// Calls `body` with each open container, innermost first, as ``Container/enclosing`` walks
    /// them: O(depth), no allocation, and no reference counting for the walk itself.
    @inlinable
    public func forEachOpenContainer(_ body: (Container) throws -> Void) rethrows {
        guard let innermost else { return }
        // Unretained references are safe here: `self` holds the innermost frame for the whole
        // call, and every frame holds its parent.
        var frame = Unmanaged.passUnretained(innermost)
        var count = innermostCount
        var keyCount = innermostKeyCount
        while true {
            let parent: Unmanaged<PartialFrame>? = try frame._withUnsafeGuaranteedRef { current in
                try body(Container(frame: current, count: count, keyCount: keyCount))
                count = current.parentCount
                keyCount = current.parentKeyCount
                return current.parent.map { Unmanaged.passUnretained($0) }
            }
            guard let parent else { return }
            frame = parent
        }
    }

    /// The containers still open, outermost first (empty once the document is complete).
    ///
    /// Builds an array: O(depth) with an allocation per call. A UI redrawing after every fragment
    /// reads ``innermostContainer`` and ``Container/enclosing`` instead.
    public var openContainers: [Container] {
        var containers: [Container] = []
        containers.reserveCapacity(depth)
        var container = innermostContainer
        while let current = container {
            containers.append(current)
            container = current.enclosing
        }
        containers.reverse()
        return containers
    }

    /// The decoded bytes so far of the innermost open value when it is a string (whole scalars
    /// only, never half an escape).
    @inlinable
    public var openStringBytes: PartialMembers<UInt8>? {
        stringCount < 0
            ? nil : PartialMembers(log: innermost?.strings ?? topLevelStrings, start: stringStart, count: stringCount)
    }

    /// The decoded prefix of the open string.
    public var openString: String? {
        openStringBytes.map { String(decoding: Array($0), as: UTF8.self) }
    }

    /// The document so far as a plain value: open containers with their members so far, an open
    /// string's prefix, nothing for an unfinished number or literal or for a key whose value has
    /// not started. `nil` before any value started. O(size of the open containers).
    public var value: JSONValue? {
        if let completeValue { return completeValue }
        var child: JSONValue? = openString.map { .string($0) }
        var container = innermostContainer
        while let current = container {
            if current.isObject {
                var members = IncrementalJSONParser.makeMembers(
                    keys: ArraySlice(Array(current.keys)),
                    values: ArraySlice(Array(current.values))
                )
                if let child, let key = current.pendingKey { members[key] = child }
                child = .object(JSONObject(members))
            } else {
                var elements = Array(current.values)
                if let child { elements.append(child) }
                child = .array(elements)
            }
            container = current.enclosing
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
/// of the members published when the snapshot was taken. Subscripting is O(1).
public struct PartialMembers<Element: Sendable>: RandomAccessCollection, Sendable {
    @usableFromInline let log: PartialLog<Element>?
    /// Where this collection's first element is in the log.
    @usableFromInline let start: Int
    public let count: Int

    @inlinable
    init(log: PartialLog<Element>?, start: Int, count: Int) {
        self.log = log
        self.start = start
        self.count = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { count }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    @inlinable
    public subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "index out of range")
        // `count > 0` means a log exists: members are only ever published into one.
        return log.unsafelyUnwrapped.element(at: start + position)
    }

    /// Visits the elements in order (O(count)).
    public func forEach(_ body: (Element) throws -> Void) rethrows {
        for position in 0..<count { try body(self[position]) }
    }
}

extension Array where Element: Sendable {
    init(_ members: PartialMembers<Element>) {
        self.init()
        reserveCapacity(members.count)
        for position in 0..<members.count { append(members[position]) }
    }
}

/// One open container as snapshots see it: immutable, created when a snapshot first sees the
/// container, and shared by every later snapshot taken while it stays open.
///
/// While a container is open, the containers around it cannot gain members (a member completes
/// only when everything inside it has closed), so their counts are recorded here once, when this
/// frame is made, and a snapshot needs only its innermost frame plus that frame's own counts.
@usableFromInline
final class PartialFrame: Sendable {
    @usableFromInline let parent: PartialFrame?
    /// Open containers up to and including this one.
    @usableFromInline let depth: Int
    @usableFromInline let isObject: Bool
    /// The log of this nesting level's values (shared with earlier containers at this depth).
    @usableFromInline let values: PartialLog<JSONValue>
    @usableFromInline let valueStart: Int
    /// The log of this nesting level's keys (`nil` for an array).
    @usableFromInline let keys: PartialLog<String>?
    @usableFromInline let keyStart: Int
    /// The parser's string log (the same for all its frames), for the open string of a snapshot
    /// whose innermost frame this is.
    @usableFromInline let strings: PartialLog<UInt8>
    /// The parent's members and keys (one more for the pending key) while this container is open.
    @usableFromInline let parentCount: Int
    @usableFromInline let parentKeyCount: Int

    init(
        parent: PartialFrame?,
        isObject: Bool,
        values: PartialLog<JSONValue>,
        keys: PartialLog<String>?,
        strings: PartialLog<UInt8>,
        parentCount: Int,
        parentKeyCount: Int
    ) {
        self.parent = parent
        depth = (parent?.depth ?? 0) + 1
        self.isObject = isObject
        self.values = values
        valueStart = values.count
        self.keys = keys
        keyStart = keys?.count ?? 0
        self.strings = strings
        self.parentCount = parentCount
        self.parentKeyCount = parentKeyCount
    }
}

/// An append-only log: element `i`, once appended, stays at the same address, unchanged, for as
/// long as the log lives. Chunk `k` holds `8 << k` elements, so an element is found in O(1)
/// from its index alone and no chunk ever moves or is copied.
///
/// `@unchecked Sendable`, because its slots are raw memory shared between one writer and many
/// readers. The writer is the one parser whose ``PartialMirror`` made the log: it checks that it
/// holds the only reference to its `PartialMirror.Owner` before every write (a copied parser
/// starts fresh logs), so there is never a second writer. `count` and the chunk table entries are
/// touched only by that writer (and by `deinit`, when nobody else holds the log). The writer fills
/// a slot, and the table entry of the slot's chunk, exactly once, before it publishes a snapshot
/// that covers the slot; snapshots read only slots below their own count, so every slot a reader
/// can reach was written before the snapshot was handed out, and nothing it reads is written again.
@usableFromInline
final class PartialLog<Element: Sendable>: @unchecked Sendable {
    /// More chunks than memory can fill: chunk 57 alone would hold 2^60 elements.
    static var chunkLimit: Int { 58 }

    /// Chunk `k`'s storage, `nil` until the log reaches it.
    @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Element>?>
    private(set) var count = 0

    init() {
        chunks = .allocate(capacity: Self.chunkLimit)
        chunks.initialize(repeating: nil, count: Self.chunkLimit)
    }

    deinit {
        var chunk = 0
        while chunk < Self.chunkLimit, let storage = chunks[chunk] {
            let first = Self.firstIndex(ofChunk: chunk)
            storage.deinitialize(count: Swift.min(8 << chunk, count - first))
            storage.deallocate()
            chunk += 1
        }
        chunks.deallocate()
    }

    @inlinable @inline(__always)
    static func chunk(of index: Int) -> Int {
        // Chunk k starts at 8·(2^k − 1), so index/8 + 1 lies in [2^k, 2^(k+1)).
        Int.bitWidth - 1 - ((index >> 3) + 1).leadingZeroBitCount
    }

    @inlinable @inline(__always)
    static func firstIndex(ofChunk chunk: Int) -> Int { (8 << chunk) - 8 }

    @inlinable
    func element(at index: Int) -> Element {
        let chunk = Self.chunk(of: index)
        return chunks[chunk].unsafelyUnwrapped[index - Self.firstIndex(ofChunk: chunk)]
    }

    func append(_ element: Element) {
        let chunk = Self.chunk(of: count)
        let offset = count - Self.firstIndex(ofChunk: chunk)
        if offset == 0 { chunks[chunk] = .allocate(capacity: 8 << chunk) }
        (chunks[chunk].unsafelyUnwrapped + offset).initialize(to: element)
        count += 1
    }

    /// Appends `source[range]` in one block copy per chunk (one retain per element).
    func append(_ source: [Element], _ range: Range<Int>) {
        source.withUnsafeBufferPointer { append(contentsOf: UnsafeBufferPointer(rebasing: $0[range])) }
    }

    func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        var index = 0
        while index < elements.count {
            let chunk = Self.chunk(of: count)
            let offset = count - Self.firstIndex(ofChunk: chunk)
            if offset == 0 { chunks[chunk] = .allocate(capacity: 8 << chunk) }
            let n = Swift.min((8 << chunk) - offset, elements.count - index)
            (chunks[chunk].unsafelyUnwrapped + offset).initialize(from: elements.baseAddress! + index, count: n)
            count += n
            index += n
        }
    }
}

/// What a parser has published for its snapshots: the frames of its open containers, a value
/// and a key log per nesting level, and one log for the bytes of every open string it showed.
///
/// Logs are per level, not per container: a container that opens where another closed appends
/// after its predecessor's members, so the common snapshot allocates nothing. The logs grow to
/// about the size of what the snapshots showed, as the finished value does.
struct PartialMirror: Sendable {
    /// Only a parser holding the sole reference to its owner may append to the logs (a copied
    /// parser starts a fresh mirror), so two parsers never write to one log.
    final class Owner: Sendable {}

    struct Level: Sendable {
        var frameID: Int
        var frame: PartialFrame
        /// Members and keys of this container published to the level's logs.
        var count = 0
        var keyCount = 0
    }

    var owner: Owner?
    var levels: [Level] = []
    var valueLogs: [PartialLog<JSONValue>] = []
    var keyLogs: [PartialLog<String>] = []
    /// Made with the owner, so that a parser that never takes a snapshot allocates nothing.
    var strings: PartialLog<UInt8>?
    /// Identifies the open string shown last (its quote's offset), and where its bytes start.
    var stringToken = -1
    var stringStart = 0
}

extension IncrementalJSONParser {
    /// A snapshot of the value so far that shares storage with the parser and earlier snapshots.
    ///
    /// Costs O(members and string bytes completed since the previous snapshot, plus containers
    /// that opened or closed since), so taking one after every fragment keeps a UI current in
    /// O(stream) overall. See ``PartialJSON``.
    public mutating func partialSnapshot() -> PartialJSON {
        if mode == .done, let result { return PartialJSON(completeValue: result) }
        if !isKnownUniquelyReferenced(&mirror.owner) {
            mirror = PartialMirror(owner: PartialMirror.Owner(), strings: PartialLog())
        }
        let depth = frames.count
        if depth != mirror.levels.count || (depth > 0 && mirror.levels[depth - 1].frameID != frames[depth - 1].id) {
            syncLevels()
        } else if depth > 0 {
            // The same innermost container as last time (ids are never reused), so every outer
            // one stayed open too and cannot have gained members: only the innermost can grow.
            publishMembers(level: depth - 1)
        }

        var stringCount = -1
        if mode == .string {
            // Unretained (as the logs in `publishMembers`): the mirror holds the log throughout
            // and nothing here replaces the mirror, while a retain/release pair per snapshot is a
            // measurable share of its cost.
            unowned(unsafe) let strings = mirror.strings.unsafelyUnwrapped  // made with the owner above
            if mirror.stringToken != tokenStart {
                mirror.stringToken = tokenStart
                mirror.stringStart = strings.count
            }
            let boundary = stringIsBuffered ? scalarBoundary : 0
            let published = strings.count - mirror.stringStart
            if boundary > published {
                unescaper.output.withUnsafeBufferPointer { bytes in
                    strings.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[published..<boundary]))
                }
            }
            stringCount = boundary
        }
        // Field by field, not through a copy of the level: the frame is then retained once, by the snapshot.
        let last = mirror.levels.count - 1
        guard last >= 0 else {
            return PartialJSON(
                innermost: nil,
                count: 0,
                keyCount: 0,
                topLevelStrings: mirror.strings,
                stringStart: mirror.stringStart,
                stringCount: stringCount
            )
        }
        return PartialJSON(
            innermost: mirror.levels[last].frame,
            count: mirror.levels[last].count,
            keyCount: mirror.levels[last].keyCount,
            topLevelStrings: nil,  // the frame holds it
            stringStart: mirror.stringStart,
            stringCount: stringCount
        )
    }

    /// Brings the mirror's levels in line with the open containers after some opened or closed.
    private mutating func syncLevels() {
        // Forget the containers that closed since the previous snapshot.
        var common = 0
        while common < mirror.levels.count, common < frames.count, mirror.levels[common].frameID == frames[common].id {
            common += 1
        }
        // One or two levels at a time: `removeLast` costs less than the generic `removeSubrange`.
        while mirror.levels.count > common { mirror.levels.removeLast() }

        // A level whose child stayed open since the previous snapshot cannot have gained members:
        // only the deepest kept level and the new ones need publishing, outermost first, since a
        // new frame records its parent's counts.
        for index in Swift.max(0, common - 1)..<frames.count {
            if index == mirror.levels.count {
                if index == mirror.valueLogs.count {
                    mirror.valueLogs.append(PartialLog())
                    mirror.keyLogs.append(PartialLog())
                }
                let frame = frames[index]
                let parent = index > 0 ? mirror.levels[index - 1] : nil
                let partialFrame = PartialFrame(
                    parent: parent?.frame,
                    isObject: frame.isObject,
                    values: mirror.valueLogs[index],
                    keys: frame.isObject ? mirror.keyLogs[index] : nil,
                    strings: mirror.strings.unsafelyUnwrapped,  // made with the owner
                    parentCount: parent?.count ?? 0,
                    parentKeyCount: parent?.keyCount ?? 0
                )
                mirror.levels.append(PartialMirror.Level(frameID: frame.id, frame: partialFrame))
            }
            publishMembers(level: index)
        }
    }

    /// Appends the members (and keys) that level `index` completed since it was last published.
    @inline(__always)
    private mutating func publishMembers(level index: Int) {
        let frame = frames[index]
        let isInnermost = index == frames.count - 1
        let memberCount = (isInnermost ? values.count : frames[index + 1].valueStart) - frame.valueStart
        let published = mirror.levels[index].count
        if published < memberCount {
            // In one block copy (one retain per member), not member by member through the slice.
            // The log unretained: the mirror holds it throughout (see `partialSnapshot()`).
            unowned(unsafe) let log = mirror.valueLogs[index]
            log.append(values, frame.valueStart + published..<frame.valueStart + memberCount)
            mirror.levels[index].count = memberCount
        }
        guard frame.isObject else { return }
        let keyCount = (isInnermost ? keys.count : frames[index + 1].keyStart) - frame.keyStart
        let publishedKeys = mirror.levels[index].keyCount
        if publishedKeys < keyCount {
            unowned(unsafe) let log = mirror.keyLogs[index]
            log.append(keys, frame.keyStart + publishedKeys..<frame.keyStart + keyCount)
            mirror.levels[index].keyCount = keyCount
        }
    }
}
