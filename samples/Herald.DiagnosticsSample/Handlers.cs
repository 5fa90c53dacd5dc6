using Herald;

namespace Herald.DiagnosticsSample;

public static class Handlers
{
    [Subscribe]
    public static void Store(Upload e) => Console.WriteLine(e.Name);

    [Subscribe]
    public static void Archive(MailSent e) => Console.WriteLine(e.To);

    [Subscribe]
    public static void Track(CartChanged e) => Console.WriteLine(e.CartId);

    [Subscribe]
    public static Task Render(ReportRequested e, CancellationToken ct) => Task.Delay(10, ct);

    [Subscribe]
    public static void Reserve(StockReserved e) => Console.WriteLine(e.Sku);

    [Subscribe]
    public static void Release(StockReleased e) => Console.WriteLine(e.Sku);

    // HER0005: async void (the code fix turns it into async Task).
    [Subscribe]
    public static async void Notify(Upload e) => await Task.Yield();

    // HER0005: the second parameter can only be a CancellationToken.
    [Subscribe]
    public static void Retry(MailSent e, int attempt) => Console.WriteLine(attempt);
}

public sealed class Ledger
{
    // A durable consumer: makes OrderPaid durable (it is already, by its name) and reports HER0007 on InvoiceIssued.
    [Subscribe(Consumer = "ledger")]
    public Task Book(OrderPaid e, CancellationToken ct) => Task.CompletedTask;

    [Subscribe(Consumer = "ledger")]
    public Task Book(InvoiceIssued e, CancellationToken ct) => Task.CompletedTask;
}
