namespace Herald.Analyzers.Tests.Payload;

/// <summary>The usings every payload test source starts with.</summary>
internal static class PayloadSources
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Text.Json.Serialization;
        using System.Threading;
        using System.Threading.Tasks;
        using Herald;

        """;
}
