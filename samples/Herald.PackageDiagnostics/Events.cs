using Herald;

namespace Herald.PackageDiagnostics;

// Expected from the packaged analyzers: HER0001 on Data, HER0002 on At.
public sealed record Upload(string Name, byte[] Data, DateTime At);

// Expected: HER0001 on MailSent.File, naming the path 'File.Content'.
public sealed record Attachment(string FileName, byte[] Content);

public sealed record MailSent(string To, Attachment File);

public static class Handlers
{
    [Subscribe]
    public static void Store(Upload e) => Console.WriteLine(e.Name);

    [Subscribe]
    public static void Archive(MailSent e) => Console.WriteLine(e.To);
}
