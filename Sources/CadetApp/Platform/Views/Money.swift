import Foundation

/// Money is KRW in whole won, shown with grouping: ₩15,000,000.
enum Money {
    static func krw(_ amount: Int) -> String {
        let formatter = NumberFormatter()
        formatter.numberStyle = .decimal
        formatter.groupingSeparator = ","
        formatter.usesGroupingSeparator = true
        return "₩" + (formatter.string(from: NSNumber(value: amount)) ?? String(amount))
    }
}
