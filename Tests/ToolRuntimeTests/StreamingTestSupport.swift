import Foundation
import ToolRuntime

/// Where `../shared` is (override: `TOOLRUNTIME_SHARED`), or `nil` on a machine without it.
enum SharedFixtures {
    static let root: URL? = {
        let fileManager = FileManager.default
        if let override = ProcessInfo.processInfo.environment["TOOLRUNTIME_SHARED"] {
            return fileManager.fileExists(atPath: override) ? URL(fileURLWithPath: override) : nil
        }
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return fileManager.fileExists(atPath: shared.path) ? shared : nil
    }()

    static var streams: URL? {
        guard let root else { return nil }
        let streams = root.appendingPathComponent("streams")
        return FileManager.default.fileExists(atPath: streams.path) ? streams : nil
    }

    static var streamsAvailable: Bool { streams != nil }

    /// `format/name` of every recording (`.sse` with an `.expected.json` beside it).
    static var recordings: [String] {
        guard let streams else { return [] }
        var names: [String] = []
        for format in WireFormat.allCases {
            let folder = streams.appendingPathComponent(format.rawValue)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files.sorted() where file.hasSuffix(".sse") {
                names.append(format.rawValue + "/" + file.dropLast(4))
            }
        }
        return names
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        guard let streams else { throw CocoaError(.fileNoSuchFile) }
        return Array(try Data(contentsOf: streams.appendingPathComponent(relativePath)))
    }
}

/// Runs `bytes` through a pipeline in chunks of the given sizes (cycled), returning the response
/// and every action.
func assemble(
    _ bytes: [UInt8],
    format: WireFormat? = nil,
    limits: StreamLimits = StreamLimits(),
    chunkSizes: [Int] = []
) -> (response: AssembledResponse, actions: [ToolCallAssembler.Action]) {
    var pipeline = ToolCallPipeline(format: format, limits: limits)
    var actions: [ToolCallAssembler.Action] = []
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        var turn = 0
        while offset < buffer.count {
            let size = chunkSizes.isEmpty ? buffer.count : max(1, chunkSizes[turn % chunkSizes.count])
            let end = min(buffer.count, offset + size)
            do {
                try pipeline.feed(UnsafeRawBufferPointer(rebasing: buffer[offset..<end]), into: &actions)
            } catch {
                break
            }
            offset = end
            turn += 1
        }
    }
    let response = pipeline.finish(into: &actions)
    return (response, actions)
}

func assemble(
    _ text: String,
    format: WireFormat? = nil,
    limits: StreamLimits = StreamLimits(),
    chunkSizes: [Int] = []
)
    -> (response: AssembledResponse, actions: [ToolCallAssembler.Action])
{
    assemble(Array(text.utf8), format: format, limits: limits, chunkSizes: chunkSizes)
}

/// A deterministic generator for random splits (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Random chunk sizes from 1 to `maximum`, reproducible from `seed`.
func randomSplits(seed: UInt64, count: Int = 64, maximum: Int = 97) -> [Int] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in Int.random(in: 1...maximum, using: &generator) }
}
