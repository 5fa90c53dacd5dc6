using Herald.Durable.Tests;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>Durable consumer "billing": records each order.</summary>
public sealed class Billing(DeliveryLog log, FaultPlan faults)
{
    [Subscribe(Consumer = "billing")]
    public Task Charge(OrderPlaced e, CancellationToken ct)
    {
        faults.Attempt("billing", e.OrderId);
        log.Record("billing", e);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Durable consumer "ledger": books each payment as a row of the table <c>ledger</c> (in the log's schema, through the
/// search path) in the handler's transaction, then fails for a poison payment, which must roll the row back.
/// </summary>
public sealed class Ledger(DeliveryLog log, FaultPlan faults)
{
    public const string CreateTable = "CREATE TABLE IF NOT EXISTS ledger (payment_id uuid PRIMARY KEY, amount numeric NOT NULL, attempt int NOT NULL)";

    [Subscribe(Consumer = "ledger")]
    public async Task Book(PaymentReceived e, CancellationToken ct)
    {
        var context = DurableContext.Current!;
        var transaction = (NpgsqlTransaction)(await context.GetTransactionAsync(ct))!;
        await using (var insert = new NpgsqlCommand("INSERT INTO ledger (payment_id, amount, attempt) VALUES ($1, $2, $3)", transaction.Connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = e.PaymentId });
            insert.Parameters.Add(new NpgsqlParameter { Value = e.Amount });
            insert.Parameters.Add(new NpgsqlParameter { Value = context.Attempt });
            await insert.ExecuteNonQueryAsync(ct);
        }
        faults.Attempt("ledger", e.PaymentId);
        log.Record("ledger", e);
    }
}
