import Foundation

/// Money is KRW in whole won, shown with grouping: ₩15,000,000.
enum Money {
    static func krw(_ amount: Int) -> String {
        "₩" + amount.grouped
    }
}

extension Int {
    /// The number with thousands grouped by commas (1,045), as both Korean and English write it.
    var grouped: String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return formatter.string(from: NSNumber(value: self)) ?? String(self)
    }
}
