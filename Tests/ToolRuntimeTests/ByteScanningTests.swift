import Testing

@testable import ToolRuntime

/// The sixteen-bytes-at-a-time searches against one-byte-at-a-time loops: random buffers of every
/// length up to 80 with the searched bytes (and their neighbours, and bytes from 0x80) placed
/// sparsely, every start and end offset.
struct ByteScanningTests {
    static let special: [UInt8] = [0x0A, 0x0D, 0x22, 0x5C, 0x1F, 0x00, 0x20, 0x21, 0x7F, 0x80, 0xC3, 0xFF, 0x0B, 0x5B]

    static func buffers() -> [[UInt8]] {
        var generator = SeededGenerator(seed: 16)
        var result: [[UInt8]] = []
        for length in 0...64 {
            for density in [0, 3, 30] {
                result.append(
                    (0..<length).map { _ in
                        Int.random(in: 0..<100, using: &generator) < density
                            ? special.randomElement(using: &generator)! : UInt8.random(in: 0x41...0x7A, using: &generator)
                    }
                )
            }
        }
        return result
    }

    @Test func searchesFindWhatALoopFinds() {
        for buffer in Self.buffers() {
            buffer.withUnsafeBufferPointer { bytes in
                let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
                let raw = UnsafeRawPointer(base)
                for from in 0...bytes.count {
                    for to in from...bytes.count where to - from <= 34 || to == bytes.count {
                        let range = from..<to
                        let lineBreak = range.first { bytes[$0] == 0x0A || bytes[$0] == 0x0D }
                        #expect(firstLineBreak(raw, from: from, to: to) == lineBreak, "\(buffer) \(range)")
                        let quote = range.first { bytes[$0] == 0x22 || bytes[$0] == 0x5C } ?? to
                        #expect(nextQuoteOrBackslash(base, from: from, to: to) == quote, "\(buffer) \(range)")
                        let special =
                            range.first {
                                bytes[$0] < 0x20 || bytes[$0] >= 0x80 || bytes[$0] == 0x22 || bytes[$0] == 0x5C
                            } ?? to
                        #expect(plainStringRunEnd(raw, from: from, to: to) == special, "\(buffer) \(range)")
                    }
                }
            }
        }
    }

    @Test func bytesEqualComparesEveryByte() {
        var generator = SeededGenerator(seed: 17)
        for count in 0...70 {
            let left = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(bytesEqual(left, left, count))
            for position in 0..<count {
                var right = left
                right[position] ^= 1 << UInt8.random(in: 0...7, using: &generator)
                #expect(!bytesEqual(left, right, count), "count \(count), byte \(position)")
            }
        }
    }
}
