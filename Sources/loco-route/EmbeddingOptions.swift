import ArgumentParser
import LocoEngines
import LocoKit
import LocoRoute

extension EmbeddingEngine.Kind: ExpressibleByArgument {}

/// The embedding engine and head, for `--router embedding|hybrid`, `train --embeddings` and
/// `eval --leave-one-source-out --embeddings`.
struct EmbeddingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The embedding engine. [env: LOCO_EMBEDDINGS; default: Ollama's own when LOCO_BACKEND=ollama, else http://127.0.0.1:8079, the one `loco engine start --embeddings` runs]", valueName: "url"))
    var embeddings: String?

    @Option(help: ArgumentHelp("What serves the embeddings: llama-server (started with --embedding --pooling mean) or ollama. [env: LOCO_EMBEDDING_BACKEND]", valueName: "kind"))
    var embeddingBackend: EmbeddingEngine.Kind?

    @Option(help: ArgumentHelp("The embedding model: Ollama embeds with it, and the head records it. [env: LOCO_EMBEDDING_MODEL; default: all-minilm]", valueName: "name"))
    var embeddingModel: String?

    @Option(help: ArgumentHelp("The embedding head. [env: LOCO_ROUTER_HEAD; default: router/embedding-head.json beside the registry]", valueName: "file"))
    var head: String?

    @Option(help: ArgumentHelp("Seconds to wait for the embedding engine: for a query's vector when routing, before the word classifier routes instead; train and eval wait at least 600 for each batch of 32. [default: 60]", valueName: "seconds"))
    var embeddingTimeout: Double = 60

    /// Routing waits a minute for one query's vector by default; `train` and `eval` send 32 at a time.
    var engine: EmbeddingEngine { engine(timeout: embeddingTimeout) }

    func engine(timeout: Double) -> EmbeddingEngine {
        EmbeddingEngine.standard(url: embeddings, kind: embeddingBackend, model: embeddingModel, timeout: timeout)
    }

    var embedder: StandardRouter.Embedder {
        let engine = engine
        return StandardRouter.Embedder(name: engine.name) { texts in try engine.embed(texts) }
    }
}
