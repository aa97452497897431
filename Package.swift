// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "LocoLLM",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "LocoKit", targets: ["LocoKit"]),
        .executable(name: "loco-route", targets: ["loco-route"]),
        .executable(name: "loco-prompt", targets: ["loco-prompt"]),
        .executable(name: "loco-gen", targets: ["loco-gen"]),
        .executable(name: "loco-vote", targets: ["loco-vote"]),
        .executable(name: "loco-score", targets: ["loco-score"]),
        .executable(name: "loco-adapters", targets: ["loco-adapters"]),
        .executable(name: "loco-chat", targets: ["loco-chat"]),
        .executable(name: "loco-report", targets: ["loco-report"]),
        .executable(name: "loco-query", targets: ["loco-query"]),
        .executable(name: "loco-run", targets: ["loco-run"]),
        .executable(name: "loco-eval", targets: ["loco-eval"]),
        .executable(name: "loco-grade", targets: ["loco-grade"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.0"..<"4.0.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CEditLine",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"])]
        ),
        // The ground floor, a job each: records, JSON Lines, files and the stage runner; the
        // registry, the config file and YAML; the sandbox that runs code, with its Python harness.
        .target(name: "LocoKit", dependencies: [.product(name: "CSV", package: "CSV.swift"), .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "LocoRegistry", dependencies: ["LocoKit", "CYAML"]),
        .target(name: "LocoSandbox", dependencies: ["LocoKit"], resources: [.copy("Harness")]),
        // Shared ground beneath the stages: engines and their settings; answer extraction, vote
        // arithmetic and ROUGE. A stage library never imports another stage library.
        .target(name: "LocoEngines", dependencies: ["LocoKit", "LocoRegistry", "CCurl"]),
        .target(name: "LocoAnswers", dependencies: ["LocoSandbox", "LocoRegistry", "LocoKit"]),
        // Stage libraries, one per tool.
        .target(name: "LocoRoute", dependencies: ["LocoRegistry", "LocoKit", "CSQLite"]),
        .target(name: "LocoPrompt", dependencies: ["LocoRegistry", "LocoKit", "LocoAnswers"]),
        .target(name: "LocoGen", dependencies: ["LocoRegistry", "LocoKit", "LocoEngines", "LocoAnswers"]),
        .target(name: "LocoVote", dependencies: ["LocoRegistry", "LocoSandbox", "LocoKit", "LocoAnswers"]),
        .target(name: "LocoScore", dependencies: ["LocoSandbox", "LocoKit", "LocoEngines", "LocoAnswers"]),
        .target(name: "LocoAdapters", dependencies: ["LocoEngines", "LocoRegistry", "LocoKit"]),
        // Compositions of the stages: one question, one conversation.
        .target(name: "LocoChat", dependencies: ["LocoRegistry", "LocoKit", "LocoEngines", "LocoAnswers", "LocoRoute", "LocoPrompt", "LocoGen", "LocoVote", "LocoQuery"]),
        .target(name: "LocoReport", dependencies: ["LocoKit", "LocoAnswers"]),
        .target(name: "LocoGrade", dependencies: ["LocoSandbox", "LocoKit", "LocoAnswers", "LocoScore", "LocoQuery"]),
        .target(name: "LocoQuery", dependencies: ["LocoRegistry", "LocoKit", "LocoEngines", "LocoAnswers", "LocoRoute", "LocoPrompt", "LocoGen", "LocoVote", "LocoScore"]),
        // The gate and the ablation, over batch runs.
        .target(name: "LocoEval", dependencies: ["LocoRegistry", "LocoKit", "LocoEngines", "LocoAnswers", "LocoRoute",
                                                 "LocoScore", "LocoQuery"]),
        .target(name: "LocoCLI", dependencies: ["LocoRegistry", "LocoEngines", "LocoKit", "LocoAnswers", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-route", dependencies: ["LocoRegistry", "LocoRoute", "LocoEngines", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-prompt", dependencies: ["LocoPrompt", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-gen", dependencies: ["LocoGen", "LocoEngines", "LocoAnswers", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-vote", dependencies: ["LocoVote", "LocoAnswers", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-score", dependencies: ["LocoSandbox", "LocoScore", "LocoEngines", "LocoAnswers", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-adapters", dependencies: ["LocoRegistry", "LocoAdapters", "LocoCLI", "LocoEngines", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-chat", dependencies: ["LocoChat", "LocoQuery", "LocoEngines", "LocoAnswers", "LocoCLI", "CEditLine", "LocoKit", "LocoRoute", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-query", dependencies: ["LocoQuery", "LocoEngines", "LocoAnswers", "LocoCLI", "LocoKit", "LocoRoute", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-run", dependencies: ["LocoQuery", "LocoEngines", "LocoAnswers", "LocoCLI", "LocoKit", "LocoRoute", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-grade", dependencies: ["LocoGrade", "LocoKit", "LocoCLI", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-eval", dependencies: ["LocoRegistry", "LocoEval", "LocoEngines", "LocoAnswers", "LocoRoute", "LocoCLI", "LocoKit", "LocoReport", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        .executableTarget(name: "loco-report", dependencies: ["LocoReport", "LocoCLI", "LocoKit", .product(name: "ArgumentParser", package: "swift-argument-parser")]),
        // Each library's tests beside its name; the helpers they share (a stage run through real file
        // descriptors, a small registry) are a library of their own that only tests use.
        .target(name: "LocoTestSupport", dependencies: ["LocoKit", "LocoRegistry"], path: "Tests/LocoTestSupport"),
        .testTarget(name: "LocoKitTests", dependencies: ["LocoKit", "LocoTestSupport"]),
        .testTarget(name: "LocoRegistryTests", dependencies: ["LocoRegistry", "LocoKit", "LocoTestSupport"]),
        .testTarget(name: "LocoSandboxTests", dependencies: ["LocoSandbox", "LocoKit"]),
        .testTarget(name: "LocoEnginesTests", dependencies: ["LocoEngines", "LocoKit", "LocoRegistry"]),
        .testTarget(name: "LocoAnswersTests", dependencies: ["LocoAnswers", "LocoKit"]),
        .testTarget(name: "LocoCLITests", dependencies: ["LocoCLI"]),
        .testTarget(name: "LocoRouteTests", dependencies: ["LocoRoute", "LocoEngines", "LocoKit", "LocoRegistry", "LocoTestSupport"]),
        .testTarget(name: "LocoPromptTests", dependencies: ["LocoPrompt", "LocoKit", "LocoRegistry", "LocoTestSupport"]),
        .testTarget(name: "LocoGenTests", dependencies: ["LocoGen", "LocoEngines", "LocoAnswers", "LocoKit"]),
        .testTarget(name: "LocoVoteTests", dependencies: ["LocoVote", "LocoAnswers", "LocoKit", "LocoRegistry", "LocoSandbox", "LocoTestSupport"]),
        .testTarget(name: "LocoScoreTests", dependencies: ["LocoScore", "LocoEngines", "LocoKit", "LocoTestSupport"]),
        .testTarget(name: "LocoAdaptersTests", dependencies: ["LocoAdapters", "LocoKit", "LocoRegistry"]),
        .testTarget(name: "LocoReportTests", dependencies: ["LocoReport", "LocoAnswers"]),
        .testTarget(name: "LocoQueryTests", dependencies: ["LocoQuery", "LocoKit", "LocoPrompt", "LocoTestSupport"]),
        .testTarget(name: "LocoGradeTests", dependencies: ["LocoGrade", "LocoTestSupport"]),
        .testTarget(name: "LocoEvalTests", dependencies: ["LocoAnswers", "LocoEval", "LocoKit", "LocoRegistry", "LocoRoute", "LocoEngines", "LocoReport", "LocoTestSupport"]),
        .testTarget(name: "LocoChatTests", dependencies: ["LocoChat", "LocoEngines", "LocoGen", "LocoPrompt", "LocoQuery", "LocoRegistry", "LocoRoute", "LocoTestSupport", "LocoVote"]),
        .testTarget(name: "EndToEndTests", dependencies: ["LocoTestSupport"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v5]
)
