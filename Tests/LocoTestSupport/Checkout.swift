import Foundation

/// The checkout this test suite was built from: its adapters/, docs/, examples/ and the built tools' sources.
public let checkoutRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
