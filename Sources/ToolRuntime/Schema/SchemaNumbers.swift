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
    /// `multipleOf` on a number instance: machine integers for plain lexemes (`89.99` against
    /// `0.01`), exact decimal digits otherwise.
    static func isMultiple(_ number: JSONNumber, of divisor: NumericBound) -> Bool {
        if let value = scaled(number.lexeme), let step = scaled(divisor.lexeme), step.mantissa > 0 {
            // Both are mantissa × 10^-scale; bring them to a common scale without overflow.
            let scale = max(value.scale, step.scale)
            if let a = multiplyPow10(value.mantissa, scale - value.scale),
                let b = multiplyPow10(step.mantissa, scale - step.scale)
            {
                return a % b == 0
            }
        }
        return isMultiple(number.decimal, of: divisor.exact)
    }

    /// `123.45` → (12345, 2); nil for exponents, signs beyond a leading '-', or more than 18 digits.
    private static func scaled(_ lexeme: String) -> (mantissa: UInt64, scale: Int)? {
        var mantissa: UInt64 = 0
        var digits = 0
        var scale = 0
        var fraction = false
        for byte in lexeme.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits > 18 { return nil }
                mantissa = mantissa * 10 + UInt64(byte - UInt8(ascii: "0"))
                if fraction { scale += 1 }
            case UInt8(ascii: "."): fraction = true
            case UInt8(ascii: "-") where digits == 0: break
            default: return nil
            }
        }
        return (mantissa, scale)
    }

    private static func multiplyPow10(_ value: UInt64, _ exponent: Int) -> UInt64? {
        var result = value
        for _ in 0..<exponent {
            let (product, overflow) = result.multipliedReportingOverflow(by: 10)
            if overflow { return nil }
            result = product
        }
        return result
    }

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
