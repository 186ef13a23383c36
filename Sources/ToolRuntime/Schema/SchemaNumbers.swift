/// A number instance ready for comparisons: machine integers and doubles first, exact decimal
/// arithmetic only when those cannot decide (equal doubles, huge or very precise values).
struct FastNumber {
    let number: JSONNumber
    let int: Int64?
    let double: Double

    init(_ number: JSONNumber) {
        self.number = number
        int = Int64(number.lexeme)
        double = int.map(Double.init) ?? Double(number.lexeme) ?? .nan
    }

    /// -1, 0 or 1 as the value is below, equal to or above `bound`, exactly.
    func compare(to bound: NumericBound) -> Int {
        if let a = int, let b = bound.int { return a < b ? -1 : (a == b ? 0 : 1) }
        // Rounding to a double is monotonic: different doubles mean the exact values are ordered
        // the same way; equal doubles need the exact comparison.
        if double != bound.double, !double.isNaN, !bound.double.isNaN { return double < bound.double ? -1 : 1 }
        let exact = number.decimal
        return exact < bound.exact ? -1 : (exact == bound.exact ? 0 : 1)
    }
}


/// Exact decimal divisibility for `multipleOf`: `89.99` is a multiple of `0.01`, `1e308` of `0.5`.
enum ExactArithmetic {
    static func isMultiple(_ value: ExactDecimal, of divisor: ExactDecimal) -> Bool {
        if value.isZero { return true }
        if divisor.isZero { return false }
        // value = a × 10^ea, divisor = b × 10^eb with a, b integers without trailing zeros.
        let ea = value.pointExponent - value.digits.count
        let eb = divisor.pointExponent - divisor.digits.count
        // a has no trailing zero, so a × 10^ea / (b × 10^eb) with ea < eb needs 10 | a: impossible.
        if ea < eb { return false }
        // Divisibility of a × 10^k by b is settled once k covers b's factors of 2 and 5.
        let k = min(ea - eb, 4 * divisor.digits.count + 4)
        let b = divisor.digits
        if b.count <= 18 {
            var modulus: UInt64 = 0
            for digit in b { modulus = modulus * 10 + UInt64(digit) }
            var remainder: UInt64 = 0
            for digit in value.digits { remainder = (remainder * 10 + UInt64(digit)) % modulus }
            for _ in 0..<k { remainder = (remainder * 10) % modulus }
            return remainder == 0
        }
        // Long division on decimal digits for divisors beyond 64 bits.
        var remainder: [UInt8] = []
        func step(_ digit: UInt8) {
            remainder.append(digit)
            while let first = remainder.first, first == 0 { remainder.removeFirst() }
            while !less(remainder, b) { subtract(&remainder, b) }
        }
        for digit in value.digits { step(digit) }
        for _ in 0..<k { step(0) }
        return remainder.isEmpty
    }

    private static func less(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        if lhs.count != rhs.count { return lhs.count < rhs.count }
        return lhs.lexicographicallyPrecedes(rhs)
    }

    private static func subtract(_ lhs: inout [UInt8], _ rhs: [UInt8]) {
        var borrow = 0
        var i = lhs.count - 1
        var j = rhs.count - 1
        while i >= 0 {
            var digit = Int(lhs[i]) - borrow - (j >= 0 ? Int(rhs[j]) : 0)
            borrow = digit < 0 ? 1 : 0
            if digit < 0 { digit += 10 }
            lhs[i] = UInt8(digit)
            i -= 1
            j -= 1
        }
        while let first = lhs.first, first == 0 { lhs.removeFirst() }
    }
}
