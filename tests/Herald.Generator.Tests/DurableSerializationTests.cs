using System.Globalization;
using System.Text;
using System.Text.Json;
using Herald.Generator.Tests.Infrastructure;

namespace Herald.Generator.Tests;

/// <summary>
/// The generated JSON of durable events, run for real: the table is compiled and loaded, and its
/// <c>DurableEventType</c>s write and read payloads.
/// </summary>
public sealed class DurableSerializationTests
{
    private const string RichSource = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using Herald;

        namespace Sample;

        public enum Priority { Low, Normal, Urgent }

        public sealed record Address(string Street, string City, string? PostalCode);

        public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

        [Event("orders.created", Version = 3)]
        public sealed record OrderCreated(
            [property: PartitionKey] Guid OrderId,
            string Customer,
            IReadOnlyList<OrderLine> Lines,
            Address ShipTo,
            Address? BillTo,
            Priority Priority,
            DateTimeOffset PlacedAt,
            decimal Total,
            decimal? Discount,
            int? Attempts,
            Dictionary<string, string> Tags)
        {
            // Structural equality for the collections, so that a round trip can be compared with Equals.
            public bool Equals(OrderCreated? other)
                => other is not null
                   && OrderId == other.OrderId
                   && Customer == other.Customer
                   && Lines.SequenceEqual(other.Lines)
                   && ShipTo == other.ShipTo
                   && BillTo == other.BillTo
                   && Priority == other.Priority
                   && PlacedAt == other.PlacedAt
                   && PlacedAt.Offset == other.PlacedAt.Offset
                   && Total == other.Total
                   && Discount == other.Discount
                   && Attempts == other.Attempts
                   && Tags.Count == other.Tags.Count
                   && Tags.All(pair => other.Tags.TryGetValue(pair.Key, out var value) && value == pair.Value);

            public override int GetHashCode() => OrderId.GetHashCode();
        }

        public static class Samples
        {
            public static OrderCreated Rich() => new(
                Guid.Parse("0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a10"),
                "Ada \"the first\" Lovelace",
                [new OrderLine("SKU-1", 2, 19.99m), new OrderLine("SKU-2", 1, 0.0000001m)],
                new Address("1 Analytical Way", "London", null),
                null,
                Priority.Urgent,
                new DateTimeOffset(2026, 11, 27, 9, 30, 15, 123, TimeSpan.FromHours(2)),
                39.9800001m,
                null,
                3,
                new Dictionary<string, string> { ["channel"] = "web", ["coupon"] = "ÉTÉ-2026" });

            public static OrderCreated Small() => new(
                Guid.Parse("0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a11"),
                "Grace",
                [new OrderLine("A", 1, 2m)],
                new Address("Main St", "Arlington", "22201"),
                null,
                Priority.Normal,
                new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
                2m,
                0.5m,
                null,
                new Dictionary<string, string>());
        }
        """;

    private const string SmallJson = """
        {
          "orderId": "0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a11",
          "comment": "not a member",
          "customer": "Grace",
          "extra": { "nested": [1, { "deeper": [true, null, "x"] }], "more": {} },
          "lines": [ { "sku": "A", "color": "red", "quantity": 1, "unitPrice": 2 } ],
          "shipTo": { "street": "Main St", "city": "Arlington", "postalCode": "22201", "country": ["US"] },
          "billTo": null,
          "priority": "Normal",
          "placedAt": "2026-01-02T03:04:05+00:00",
          "total": 2,
          "discount": 0.5,
          "attempts": null,
          "tags": {},
          "trailing": 12.5
        }
        """;

    [Fact]
    public void RichEvent_WriteThenRead_GivesAnEqualEvent()
    {
        var loaded = GeneratedAssembly.Load(RichSource);
        var type = loaded.DurableType("orders.created");
        var original = loaded.Call("Sample.Samples", "Rich")!;

        var json = GeneratedAssembly.Write(type, original);
        var read = type.Deserialize(json);

        Assert.Equal(original, read);
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(GeneratedAssembly.Write(type, read)));
        Assert.Equal(3, type.Version);
        Assert.Equal(Durability.Persisted, type.Durability);
        Assert.Equal("Sample.OrderCreated", type.ClrType.FullName);
    }

    [Fact]
    public void RichEvent_IsWrittenWithCamelCaseNamesEnumNamesAndNulls()
    {
        var loaded = GeneratedAssembly.Load(RichSource);
        var type = loaded.DurableType("orders.created");

        using var document = JsonDocument.Parse(GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "Rich")));
        var root = document.RootElement;

        Assert.Equal(
            ["orderId", "customer", "lines", "shipTo", "billTo", "priority", "placedAt", "total", "discount", "attempts", "tags"],
            root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a10", root.GetProperty("orderId").GetString());
        Assert.Equal("Ada \"the first\" Lovelace", root.GetProperty("customer").GetString());
        Assert.Equal(2, root.GetProperty("lines").GetArrayLength());
        Assert.Equal("SKU-1", root.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal(19.99m, root.GetProperty("lines")[0].GetProperty("unitPrice").GetDecimal());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("shipTo").GetProperty("postalCode").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("billTo").ValueKind);
        Assert.Equal("Urgent", root.GetProperty("priority").GetString());
        Assert.Equal("2026-11-27T09:30:15.123+02:00", root.GetProperty("placedAt").GetString());
        Assert.Equal(39.9800001m, root.GetProperty("total").GetDecimal());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("discount").ValueKind);
        Assert.Equal(3, root.GetProperty("attempts").GetInt32());
        Assert.Equal("ÉTÉ-2026", root.GetProperty("tags").GetProperty("coupon").GetString());
    }

    [Fact]
    public void UnknownProperties_AreSkipped()
    {
        var loaded = GeneratedAssembly.Load(RichSource);
        var type = loaded.DurableType("orders.created");

        var read = type.Deserialize(Encoding.UTF8.GetBytes(SmallJson));

        Assert.Equal(loaded.Call("Sample.Samples", "Small"), read);
    }

    [Fact]
    public void WrongTokenType_ThrowsJsonExceptionNamingTheEventAndMemberPath()
    {
        var type = GeneratedAssembly.Load(RichSource).DurableType("orders.created");
        var json = SmallJson.Replace("\"quantity\": 1", "\"quantity\": \"one\"", StringComparison.Ordinal);

        var exception = Assert.Throws<JsonException>(() => type.Deserialize(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("$.lines[0].quantity", exception.Path);
        Assert.Equal("Cannot read the payload of 'orders.created' at $.lines[0].quantity: expected a number but found a string", exception.Message);
    }

    [Theory]
    [InlineData("\"priority\": \"Normal\"", "\"priority\": \"Critical\"", "$.priority", "\"Critical\" is not a name of Sample.Priority")]
    [InlineData("\"orderId\": \"0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a11\"", "\"orderId\": \"not-a-guid\"", "$.orderId", "\"not-a-guid\" is not a Guid")]
    [InlineData("\"quantity\": 1", "\"quantity\": 3000000000", "$.lines[0].quantity", "3000000000 is not an Int32")]
    [InlineData("\"tags\": {}", "\"tags\": { \"channel\": 5 }", "$.tags['channel']", "expected a string but found a number")]
    [InlineData("\"shipTo\": {", "\"shipTo\": [], \"ignored\": {", "$.shipTo", "expected an object but found an array")]
    [InlineData("\"placedAt\": \"2026-01-02T03:04:05+00:00\"", "\"placedAt\": \"yesterday\"", "$.placedAt", "\"yesterday\" is not a DateTimeOffset")]
    public void InvalidValue_ThrowsJsonExceptionWithThePathAndTheProblem(string valid, string invalid, string path, string problem)
    {
        var type = GeneratedAssembly.Load(RichSource).DurableType("orders.created");
        Assert.Contains(valid, SmallJson, StringComparison.Ordinal);
        var json = SmallJson.Replace(valid, invalid, StringComparison.Ordinal);

        var exception = Assert.Throws<JsonException>(() => type.Deserialize(Encoding.UTF8.GetBytes(json)));

        Assert.Equal(path, exception.Path);
        Assert.Equal("Cannot read the payload of 'orders.created' at " + path + ": " + problem, exception.Message);
    }

    [Fact]
    public void MalformedJson_ThrowsJsonExceptionNamingTheEventAndWhereItStopped()
    {
        var type = GeneratedAssembly.Load(RichSource).DurableType("orders.created");
        var json = SmallJson.Replace("\"city\": \"Arlington\"", "\"city\": Arlington", StringComparison.Ordinal);

        var exception = Assert.Throws<JsonException>(() => type.Deserialize(Encoding.UTF8.GetBytes(json)));

        Assert.Equal("$.shipTo.city", exception.Path);
        Assert.StartsWith("Cannot read the payload of 'orders.created' at $.shipTo.city: ", exception.Message, StringComparison.Ordinal);
        Assert.NotNull(exception.LineNumber);
    }

    [Fact]
    public void PartitionKey_IsTheMarkedMemberFormattedWithTheInvariantCulture()
    {
        var loaded = GeneratedAssembly.Load("""
            using System;
            using Herald;

            namespace Sample;

            [Event("keys.guid")] public sealed record GuidKeyed([property: PartitionKey] Guid Id);
            [Event("keys.string")] public sealed record StringKeyed([property: PartitionKey] string? Key, int Other);
            [Event("keys.double")] public sealed record DoubleKeyed([property: PartitionKey] double? Amount);
            [Event("keys.enum")] public sealed record EnumKeyed([property: PartitionKey] DayOfWeek Day);
            [Event("keys.none")] public sealed record Unkeyed(int Id);
            """);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            string? KeyOf(string eventName, string typeName, params object?[] arguments)
            {
                var value = Activator.CreateInstance(loaded.Assembly.GetType(typeName, throwOnError: true)!, arguments)!;
                return GeneratedAssembly.PartitionKey(loaded.DurableType(eventName), value);
            }

            Assert.Equal("0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a10", KeyOf("keys.guid", "Sample.GuidKeyed", Guid.Parse("0195f0d2-7a3e-7cc1-9a4b-8e2f4c1d9a10")));
            Assert.Equal("north", KeyOf("keys.string", "Sample.StringKeyed", "north", 1));
            Assert.Null(KeyOf("keys.string", "Sample.StringKeyed", null, 1));
            Assert.Equal("1.5", KeyOf("keys.double", "Sample.DoubleKeyed", 1.5));
            Assert.Null(KeyOf("keys.double", "Sample.DoubleKeyed", [null]));
            Assert.Equal("Friday", KeyOf("keys.enum", "Sample.EnumKeyed", DayOfWeek.Friday));
            Assert.Null(KeyOf("keys.none", "Sample.Unkeyed", 7));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void EveryKindOfMember_RoundTrips()
    {
        var loaded = GeneratedAssembly.Load("""
            using System;
            using System.Collections.Generic;
            using Herald;

            namespace Sample;

            [Flags] public enum Access : byte { None = 0, Read = 1, Write = 2 }

            public enum Huge : ulong { Max = ulong.MaxValue }

            public readonly record struct Point(int X, int Y);

            [Event("kinds", Durability = Durability.Buffered)]
            public sealed record Kinds(
                bool Flag, byte B, sbyte Sb, short S, ushort Us, int I, uint Ui, long L, ulong Ul,
                float F, double D, decimal M, char C, Guid G, DateTimeOffset Dto, DateTime Dt, TimeSpan Ts,
                DateOnly Date, TimeOnly Time, Uri Link, Uri? NoLink, byte[] Blob, int[] Numbers, HashSet<string> Names,
                IEnumerable<int> Sequence, ICollection<Point> Points, IList<Access> Accesses,
                IReadOnlyCollection<long?> Maybe, IDictionary<string, Point> ByName,
                IReadOnlyDictionary<string, int[]> Nested, List<List<string>> Grid, Access Combined, Huge Biggest,
                Point? NoPoint, Point? SomePoint, float NotANumber, double Infinite);

            public static class Samples
            {
                public static Kinds All() => new(
                    true, 255, -128, -32768, 65535, int.MinValue, uint.MaxValue, long.MinValue, ulong.MaxValue,
                    1.5f, Math.PI, 79228162514264337593543950335m, 'é', Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff"),
                    new DateTimeOffset(2026, 11, 27, 9, 30, 15, TimeSpan.FromHours(-5)),
                    new DateTime(2026, 11, 27, 14, 30, 15, DateTimeKind.Utc),
                    new TimeSpan(1, 2, 3, 4, 500), new DateOnly(2026, 11, 27), new TimeOnly(9, 30, 15, 123),
                    new Uri("https://example.com/orders/1?x=y"), null, [0, 1, 2, 254], [3, -1], ["a", "b"],
                    new List<int> { 5, 6 }, [new Point(1, 2)], [Access.Read, Access.Write],
                    new List<long?> { 1, null }, new Dictionary<string, Point> { ["home"] = new Point(3, 4) },
                    new Dictionary<string, int[]> { ["x"] = [1], ["y"] = [] }, [["a"], [], ["b", "c"]],
                    Access.Read | Access.Write, Huge.Max, null, new Point(-1, -2), float.NaN, double.NegativeInfinity);
            }
            """);
        var type = loaded.DurableType("kinds");

        var json = GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "All"));
        var again = GeneratedAssembly.Write(type, type.Deserialize(json));

        Assert.Equal(Durability.Buffered, type.Durability);
        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(again));
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal(ulong.MaxValue, root.GetProperty("ul").GetUInt64());
        Assert.Equal(79228162514264337593543950335m, root.GetProperty("m").GetDecimal());
        Assert.Equal("é", root.GetProperty("c").GetString());
        Assert.Equal("2026-11-27T14:30:15Z", root.GetProperty("dt").GetString());
        Assert.Equal("1.02:03:04.5000000", root.GetProperty("ts").GetString());
        Assert.Equal("2026-11-27", root.GetProperty("date").GetString());
        Assert.Equal("09:30:15.1230000", root.GetProperty("time").GetString());
        Assert.Equal("https://example.com/orders/1?x=y", root.GetProperty("link").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("noLink").ValueKind);
        Assert.Equal(Convert.ToBase64String([0, 1, 2, 254]), root.GetProperty("blob").GetString());
        Assert.Equal("Read", root.GetProperty("accesses")[0].GetString());
        Assert.Equal(3, root.GetProperty("combined").GetInt32());
        Assert.Equal("Max", root.GetProperty("biggest").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("maybe")[1].ValueKind);
        Assert.Equal(4, root.GetProperty("byName").GetProperty("home").GetProperty("y").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("noPoint").ValueKind);
        Assert.Equal(-2, root.GetProperty("somePoint").GetProperty("y").GetInt32());
        Assert.Equal("NaN", root.GetProperty("notANumber").GetString());
        Assert.Equal("-Infinity", root.GetProperty("infinite").GetString());
        Assert.Equal(3, root.GetProperty("grid").GetArrayLength());
    }

    private const string ClassesSource = """
        using System.Collections.Generic;
        using Herald;

        namespace Sample;

        [Event("settings.changed")]
        public sealed class SettingsChanged
        {
            public SettingsChanged(string name, int retries = 3)
            {
                Name = name;
                Retries = retries;
            }

            public string Name { get; }

            public int Retries { get; }

            public string Mode { get; set; } = "auto";

            public List<string> Labels { get; set; } = ["default"];

            public int Level { get; init; }

            public required string Owner { get; init; }

            public int Computed => Retries * 2;
        }

        [Event("profile.updated")]
        public sealed class ProfileUpdated
        {
            public string? DisplayName { get; set; }

            public int Age;

            public readonly int Revision = 7;
        }
        """;

    [Fact]
    public void MissingMembers_KeepTheirDefaults()
    {
        var loaded = GeneratedAssembly.Load(ClassesSource);
        var type = loaded.DurableType("settings.changed");

        var read = type.Deserialize("""{ "name": "n", "owner": "o" }"""u8);

        Assert.Equal("n", Member(read, "Name"));
        Assert.Equal(3, Member(read, "Retries")); // the constructor parameter's default value
        Assert.Equal("auto", Member(read, "Mode")); // the property's initializer
        Assert.Equal(["default"], (List<string>)Member(read, "Labels")!);
        Assert.Equal(0, Member(read, "Level"));
        Assert.Equal("o", Member(read, "Owner"));
    }

    [Fact]
    public void ConstructorSettableInitAndRequiredMembers_AreAllRead()
    {
        var loaded = GeneratedAssembly.Load(ClassesSource);
        var type = loaded.DurableType("settings.changed");

        var read = type.Deserialize("""
            { "name": "n", "retries": 5, "mode": "manual", "labels": ["x", "y"], "level": 2, "owner": "o", "computed": 99 }
            """u8);

        Assert.Equal(5, Member(read, "Retries"));
        Assert.Equal("manual", Member(read, "Mode"));
        Assert.Equal(["x", "y"], (List<string>)Member(read, "Labels")!);
        Assert.Equal(2, Member(read, "Level"));
        Assert.Equal(10, Member(read, "Computed")); // written, never read
        Assert.Contains("\"computed\":10", Encoding.UTF8.GetString(GeneratedAssembly.Write(type, read)), StringComparison.Ordinal);
    }

    [Fact]
    public void PropertyNames_AreMatchedIgnoringCaseWhenNotExact()
    {
        var loaded = GeneratedAssembly.Load(ClassesSource);

        var settings = loaded.DurableType("settings.changed").Deserialize("""{ "Name": "n", "OWNER": "o", "Retries": 4 }"""u8);
        var profile = loaded.DurableType("profile.updated").Deserialize("""{ "DisplayName": "Ada", "AGE": 36, "revision": 1 }"""u8);

        Assert.Equal("n", Member(settings, "Name"));
        Assert.Equal("o", Member(settings, "Owner"));
        Assert.Equal(4, Member(settings, "Retries"));
        Assert.Equal("Ada", Member(profile, "DisplayName"));
        Assert.Equal(36, Member(profile, "Age"));
        Assert.Equal(7, Member(profile, "Revision")); // a readonly field is written, not read
    }

    [Fact]
    public void UnsupportedMembers_AreLeftOutAndTheCodeCompiles()
    {
        var loaded = GeneratedAssembly.Load("""
            using System;
            using System.Collections.Generic;
            using System.IO;
            using Herald;

            namespace Sample;

            public interface IShape { }

            [Event("odd")]
            public sealed record Odd(int Id, Action? Callback, object? Anything, Stream? Body, List<object>? Items, Dictionary<int, string>? ByNumber, IShape? Shape)
            {
                public required Func<int> Factory { get; init; }

                public int[,]? Matrix { get; set; }
            }

            public static class Samples
            {
                public static Odd One() => new(1, () => { }, new object(), Stream.Null, [], [], null) { Factory = () => 1 };
            }
            """);
        var type = loaded.DurableType("odd");

        var json = GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "One"));
        var read = type.Deserialize(json);

        Assert.Equal("""{"id":1}""", Encoding.UTF8.GetString(json));
        Assert.Equal(1, Member(read, "Id"));
        Assert.Null(Member(read, "Callback"));
        Assert.Null(Member(read, "Factory"));
    }

    [Fact]
    public void ReferenceCycle_FailsWhenWrittenNamingTheEvent()
    {
        var loaded = GeneratedAssembly.Load(ChainSource);
        var type = loaded.DurableType("chain");

        var exception = Assert.Throws<JsonException>(() => GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "Cycle")));

        Assert.Equal("Cannot write the payload of 'chain': the payload nests deeper than 64 levels (does the event hold a reference cycle?)", exception.Message);
    }

    [Fact]
    public void InvalidUtf8InAString_ThrowsJsonExceptionWithThePath()
    {
        // A damaged row: the reader finds the string token, and decoding it fails.
        var type = GeneratedAssembly.Load(RichSource).DurableType("orders.created");
        var json = Encoding.UTF8.GetBytes(SmallJson.Replace("\"Grace\"", "\"Gr?ce\"", StringComparison.Ordinal));
        json[Array.IndexOf(json, (byte)'?')] = 0xFF;

        var exception = Assert.Throws<JsonException>(() => type.Deserialize(json));

        Assert.Equal("$.customer", exception.Path);
        Assert.StartsWith("Cannot read the payload of 'orders.created' at $.customer: ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstructorThatRejectsAValue_ThrowsJsonExceptionWithThePath()
    {
        var loaded = GeneratedAssembly.Load("""
            using System;
            using System.Collections.Generic;
            using Herald;

            namespace Sample;

            public sealed record Line(string Sku, int Quantity)
            {
                public int Quantity { get; } = Quantity > 0 ? Quantity : throw new ArgumentOutOfRangeException(nameof(Quantity), "must be positive");
            }

            [Event("carts.filled")]
            public sealed record CartFilled(IReadOnlyList<Line> Lines);
            """);
        var type = loaded.DurableType("carts.filled");

        var exception = Assert.Throws<JsonException>(() => type.Deserialize("""
            { "lines": [ { "sku": "a", "quantity": 1 }, { "sku": "b", "quantity": 0 } ] }
            """u8));

        Assert.Equal("$.lines[1]", exception.Path);
        Assert.StartsWith("Cannot read the payload of 'carts.filled' at $.lines[1]: must be positive", exception.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentOutOfRangeException>(exception.InnerException);
    }

    [Fact]
    public void RecursiveType_RoundTripsUpToTheDepthTheReaderAccepts()
    {
        var loaded = GeneratedAssembly.Load(ChainSource);
        var type = loaded.DurableType("chain");

        // The event object and 63 nodes: 64 levels, the most a default Utf8JsonReader reads.
        var json = GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "Deep", 63));
        var again = GeneratedAssembly.Write(type, type.Deserialize(json));

        Assert.Equal(Encoding.UTF8.GetString(json), Encoding.UTF8.GetString(again));
        Assert.Throws<JsonException>(() => GeneratedAssembly.Write(type, loaded.Call("Sample.Samples", "Deep", 64)));
    }

    private const string ChainSource = """
        using Herald;

        namespace Sample;

        public sealed class Node
        {
            public string Name { get; set; } = "";

            public Node? Next { get; set; }
        }

        [Event("chain")]
        public sealed record Chain(Node Head);

        public static class Samples
        {
            public static Chain Cycle()
            {
                var node = new Node { Name = "loop" };
                node.Next = node;
                return new Chain(node);
            }

            public static Chain Deep(int count)
            {
                var head = new Node { Name = "0" };
                var last = head;
                for (var i = 1; i < count; i++)
                {
                    last.Next = new Node { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    last = last.Next;
                }
                return new Chain(head);
            }
        }
        """;

    [Fact]
    public void TypeWithoutUsableConstructor_IsWrittenButReadingThrows()
    {
        var loaded = GeneratedAssembly.Load("""
            using Herald;

            namespace Sample;

            [Event("sealed.off")]
            public sealed class SealedOff
            {
                public SealedOff(int id, string reason) => Id = id;

                public int Id { get; }
            }
            """);
        var type = loaded.DurableType("sealed.off");
        var value = Activator.CreateInstance(loaded.Assembly.GetType("Sample.SealedOff", throwOnError: true)!, 4, "why")!;

        var json = GeneratedAssembly.Write(type, value);
        var exception = Assert.Throws<JsonException>(() => type.Deserialize(json));

        Assert.Equal("""{"id":4}""", Encoding.UTF8.GetString(json));
        Assert.Equal(
            "Cannot read the payload of 'sealed.off' at $: Sample.SealedOff cannot be created: it needs a public constructor whose parameters all match its members, or a parameterless one",
            exception.Message);
    }

    private static object? Member(object? instance, string name)
    {
        Assert.NotNull(instance);
        var type = instance.GetType();
        return type.GetProperty(name) is { } property ? property.GetValue(instance) : type.GetField(name)!.GetValue(instance);
    }
}
