using Herald.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace Herald.Analyzers.Tests;

/// <summary>Severities follow .editorconfig, as for any analyzer.</summary>
public sealed class SeverityConfigurationTests
{
    [Fact]
    public async Task EditorConfig_LowersAndSilencesPayloadRules()
    {
        var test = new HeraldAnalyzerTest<Herald.Analyzers.Payload.PayloadAnalyzer>
        {
            TestCode = """
                using System;
                using Herald;

                [Event("files.uploaded")]
                public sealed record Upload(string Name, byte[] {|#0:Data|}, Action {|#1:Done|}, DateTime At);
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.HER0001.severity = suggestion
            dotnet_diagnostic.HER0002.severity = none
            dotnet_diagnostic.HER0003.severity = warning
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.RawBinaryMember)
            .WithLocation(0).WithSeverity(DiagnosticSeverity.Info).WithArguments("Data", "Upload", "byte[]"));
        // HER0003 is an error on a durable event; the configured severity wins.
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.NotSerializableMember)
            .WithLocation(1).WithSeverity(DiagnosticSeverity.Warning)
            .WithArguments("'Done' in 'Upload'", "a delegate is code, not data; pass the data the handler needs"));

        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EditorConfig_RaisesAnInfoRuleToAnError()
    {
        var test = new HeraldAnalyzerTest<Herald.Analyzers.Events.UnhandledEventAnalyzer>
        {
            TestCode = """
                using Herald;

                public sealed record Ping(int Number);

                public static class Pinger
                {
                    public static void Ping(IEventBus bus) => {|#0:bus.Publish(new Ping(1))|};
                }
                """,
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            dotnet_diagnostic.HER0008.severity = error
            """));
        test.ExpectedDiagnostics.Add(new DiagnosticResult(DiagnosticDescriptors.UnhandledEvent)
            .WithLocation(0).WithSeverity(DiagnosticSeverity.Error).WithArguments("Ping"));

        await test.RunAsync(CancellationToken.None);
    }
}
