// The byte searches of the hot paths (SSE lines, envelope strings, argument strings), sixteen
// bytes at a time. `SIMD16` with explicit splats compiles to pcmpeqb/pcmpgtb + pmovmskb on x86-64
// (and the NEON equivalents); comparing with scalar literals or `==` on whole vectors does not
// (it falls back to a lane-by-lane loop through the stack), hence the spelled-out forms below.

/// The index of the first lane set in a mask that has one: the lanes are 0 or -1 bytes, read
/// here as two words (compiles to movq/pshufd + bsf, as there is no movemask in the API).
@inline(__always)
private func firstLane(_ hits: SIMDMask<SIMD16<Int8>>) -> Int {
    let words = unsafeBitCast(hits, to: (UInt64, UInt64).self)
    let low = UInt64(littleEndian: words.0)
    return low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ UInt64(littleEndian: words.1).trailingZeroBitCount &>> 3
}

/// Offset of the first CR or LF in `base[from..<to]`, or `nil`.
@inline(__always)
func firstLineBreak(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int? {
    var i = from
    let lf = SIMD16<UInt8>(repeating: 0x0A)
    let cr = SIMD16<UInt8>(repeating: 0x0D)
    while i &+ 16 <= to {
        let block = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        let hits = (block .== lf) .| (block .== cr)
        if any(hits) { return i &+ firstLane(hits) }
        i &+= 16
    }
    guard i < to else { return nil }
    // The last bytes in one block ending at `to`, its lanes before `i` (already read) left out:
    // an SSE event's line break sits in its last 16 bytes, where a byte loop took longer than
    // the whole line's blocks.
    if to &- from >= 16 {
        let start = to &- 16
        let block = base.loadUnaligned(fromByteOffset: start, as: SIMD16<UInt8>.self)
        let lanes = SIMD16<UInt8>(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let unread = lanes .>= SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: i &- start))
        let hits = ((block .== lf) .| (block .== cr)) .& unread
        // Not `any(hits)`: on a masked result it compiled to a call of the generic `min()`.
        let words = unsafeBitCast(hits, to: (UInt64, UInt64).self)
        return words.0 | words.1 != 0 ? start &+ firstLane(hits) : nil
    }
    while i < to {
        let byte = base.load(fromByteOffset: i, as: UInt8.self)
        if byte == 0x0A || byte == 0x0D { return i }
        i &+= 1
    }
    return nil
}

/// Offset of the first `"` or `\` in `base[from..<to]`, or `to`.
@inline(__always)
func nextQuoteOrBackslash(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
    var i = from
    let raw = UnsafeRawPointer(base)
    let quote = SIMD16<UInt8>(repeating: 0x22)
    let backslash = SIMD16<UInt8>(repeating: 0x5C)
    while i &+ 16 <= to {
        let block = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        let hits = (block .== quote) .| (block .== backslash)
        if any(hits) { return i &+ firstLane(hits) }
        i &+= 16
    }
    while i < to {
        let byte = base[i]
        if byte == 0x22 || byte == 0x5C { return i }
        i &+= 1
    }
    return to
}

/// Offset of the first byte in `base[from..<to]` that a JSON string cannot hold as it is, or `to`:
/// `"`, `\`, a control character, or a non-ASCII byte (whose UTF-8 sequence must be checked).
/// Signed lanes: one `< 0x20` catches both the control characters and the bytes from 0x80.
@inline(__always)
func plainStringRunEnd(_ base: UnsafeRawPointer, from: Int, to: Int) -> Int {
    var i = from
    let space = SIMD16<Int8>(repeating: 0x20)
    let quote = SIMD16<Int8>(repeating: 0x22)
    let backslash = SIMD16<Int8>(repeating: 0x5C)
    while i &+ 16 <= to {
        let block = base.loadUnaligned(fromByteOffset: i, as: SIMD16<Int8>.self)
        let hits = (block .< space) .| (block .== quote) .| (block .== backslash)
        if any(hits) { return i &+ firstLane(hits) }
        i &+= 16
    }
    while i < to {
        let byte = base.load(fromByteOffset: i, as: UInt8.self)
        if byte < 0x20 || byte >= 0x80 || byte == 0x22 || byte == 0x5C { return i }
        i &+= 1
    }
    return to
}

/// Whether `count` bytes at `lhs` and `rhs` are equal.
@inline(__always)
func bytesEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let left = UnsafeRawPointer(lhs)
    let right = UnsafeRawPointer(rhs)
    var i = 0
    while i &+ 16 <= count {
        let equal =
            left.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            .== right.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
        guard all(equal) else { return false }
        i &+= 16
    }
    if i &+ 8 <= count {
        guard left.loadUnaligned(fromByteOffset: i, as: UInt64.self) == right.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        else { return false }
        i &+= 8
    }
    while i < count {
        guard lhs[i] == rhs[i] else { return false }
        i &+= 1
    }
    return true
}
