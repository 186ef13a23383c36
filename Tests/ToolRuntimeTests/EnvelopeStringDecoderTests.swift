import Testing

@testable import ToolRuntime

/// `EnvelopeStringDecoder.decode` writes escaped strings straight into their storage (or a stack
/// buffer for short ones); it must give what unescaping into a scratch array and decoding that
/// gave, for valid and broken escapes alike, short and long.
struct EnvelopeStringDecoderTests {
    /// The former implementation: unescape into an array, then `String(decoding:)`.
    static func reference(_ bytes: [UInt8]) -> String {
        var unescaper = StringUnescaper()
        var i = 0
        while i < bytes.count {
            var run = i
            while run < bytes.count, bytes[run] != UInt8(ascii: "\\") { run += 1 }
            unescaper.output.append(contentsOf: bytes[i..<run])
            i = run
            guard i < bytes.count else { break }
            repeat {
                let before = unescaper.state
                switch unescaper.consume(bytes[i]) {
                case .more, .closed: i += 1
                case .rejected:
                    unescaper.state = .normal
                    unescaper.output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    if case .lowSurrogateBackslash = before {} else { i += 1 }
                }
            } while i < bytes.count && unescaper.isInsideEscape
        }
        if unescaper.isInsideEscape { unescaper.output.append(contentsOf: [0xEF, 0xBF, 0xBD]) }
        return String(decoding: unescaper.output, as: UTF8.self)
    }

    static func decoded(_ bytes: [UInt8]) -> String {
        var decoder = EnvelopeStringDecoder()
        return bytes.withUnsafeBufferPointer { buffer in
            decoder.decode(StringSlice(start: 0, end: buffer.count, hasEscapes: true), base: buffer.baseAddress!)
        }
    }

    @Test func randomEscapedTextsDecodeAsBefore() {
        var generator = SeededGenerator(seed: 4242)
        let pieces: [[UInt8]] =
            [
                "abc", "Grüße", "😀", #"\""#, #"\\"#, #"\n"#, #"\t\r\b\f\/"#, #"\u00e9"#, #"\ud83d\ude00"#,
                #"\ud83d"#, #"\ude00"#, #"\ud83dx"#, #"\ud83d\n"#, #"\ud83d\u12"#, #"\x"#, #"\u12g"#, #"\u"#,
                "long plain text for the large path ", "\\",
            ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0x01]]
        for round in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...(round % 2 == 0 ? 4 : 16), using: &generator) {
                bytes += pieces.randomElement(using: &generator)!
            }
            if bytes.last == UInt8(ascii: "\\") || Bool.random(using: &generator) {
                #expect(Self.decoded(bytes) == Self.reference(bytes), "\(bytes)")
            } else {
                let cut = Array(bytes.dropLast(Int.random(in: 0...2, using: &generator)))
                #expect(Self.decoded(cut) == Self.reference(cut), "\(cut)")
            }
        }
    }
}
