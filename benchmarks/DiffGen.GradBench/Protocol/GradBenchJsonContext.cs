using System.Text.Json.Serialization;
using DiffGen.GradBench.Evals;

namespace DiffGen.GradBench.Protocol;

/// <summary>Source-generated (de)serializers for every message and input the tool reads.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(Envelope))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(LseInput))]
[JsonSerializable(typeof(LlsqInput))]
[JsonSerializable(typeof(DetInput))]
[JsonSerializable(typeof(GmmInput))]
[JsonSerializable(typeof(KMeansInput))]
[JsonSerializable(typeof(LstmInput))]
[JsonSerializable(typeof(OdeInput))]
[JsonSerializable(typeof(BaInput))]
public sealed partial class GradBenchJsonContext : JsonSerializerContext;
