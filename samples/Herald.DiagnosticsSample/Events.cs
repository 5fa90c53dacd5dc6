using Herald;

namespace Herald.DiagnosticsSample;

// HER0001 on Data (raw binary) and HER0002 on At (DateTime): the example.
public sealed record Upload(string Name, byte[] Data, DateTime At);

// HER0001 on File, with the path 'File.Content': the bytes sit in a record the event holds.
public sealed record Attachment(string FileName, byte[] Content);

public sealed record MailSent(string To, Attachment File);

// HER0003 on Callback (a delegate) and HER0009 on Total (decimal): the [Event] name makes the event durable, so
// HER0003 is an error by default (a warning here, see .editorconfig).
[Event("orders.paid")]
public sealed record OrderPaid(Guid OrderId, decimal Total, Action Callback);

// HER0004: a public setter and a mutable list.
public sealed class CartChanged
{
    public string CartId { get; set; } = "";

    public List<string> Skus { get; init; } = [];
}

// HER0007: a durable consumer receives it (see Handlers.cs), but it has no [Event] name.
public sealed record InvoiceIssued(string Number);

// HER0007 twice: two event types with one name.
[Event("stock.changed")]
public sealed record StockReserved(string Sku);

[Event("stock.changed")]
public sealed record StockReleased(string Sku);

// HER0008: published in Publishers.cs, handled nowhere.
public sealed record CacheWarmed(string Region);

// HER0006: has an async handler and is published with the synchronous Publish.
public sealed record ReportRequested(string Name);
