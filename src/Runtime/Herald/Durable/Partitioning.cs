using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Herald.Durable;

/// <summary>
/// Which partition of a log an envelope belongs to. The function is fixed and documented so that every process,
/// every Herald version and a tool written in any other language agree on it:
/// <list type="bullet">
/// <item><description>with a partition key: <c>murmur3_x86_32(UTF-8 bytes of the key, seed 0) mod partitions</c>, the hash
/// read as an unsigned 32-bit integer;</description></item>
/// <item><description>without one: the same hash of the envelope id's 16 bytes in RFC 9562 (big-endian) order, so keyless
/// events are spread evenly and carry no order guarantee.</description></item>
/// </list>
/// </summary>
/// <remarks>
/// MurmurHash3 (x86, 32-bit) is public domain and implemented in every ecosystem (Guava's <c>murmur3_32_fixed</c>,
/// Python's <c>mmh3.hash(key, 0, signed=False)</c>, ...). Keys are compared as exact UTF-8 bytes: <c>"A"</c> and
/// <c>"a"</c> are different keys. The partition count is fixed when a log is created; changing it would move keys
/// between partitions, which is why a log refuses to open with another count.
/// </remarks>
public static class Partitioning
{
    /// <summary>The partition count of a new log unless another is asked for.</summary>
    public const int DefaultPartitions = 8;

    /// <summary>The largest partition count a log may have.</summary>
    public const int MaxPartitions = 4096;

    /// <summary>The partition of an envelope with <paramref name="partitionKey"/> (or, when it is null, with <paramref name="id"/>).</summary>
    /// <param name="partitionKey">The envelope's partition key; null when it has none.</param>
    /// <param name="id">The envelope's id (used when there is no key).</param>
    /// <param name="partitions">The log's partition count.</param>
    public static int PartitionOf(string? partitionKey, Guid id, int partitions)
    {
        ValidateCount(partitions, nameof(partitions));
        if (partitionKey is null)
        {
            Span<byte> bytes = stackalloc byte[16];
            id.TryWriteBytes(bytes, bigEndian: true, out _);
            return (int)(Murmur3(bytes) % (uint)partitions);
        }
        return PartitionOf(partitionKey, partitions);
    }

    /// <summary>The partition of the events whose partition key is <paramref name="partitionKey"/>.</summary>
    /// <param name="partitionKey">The partition key.</param>
    /// <param name="partitions">The log's partition count.</param>
    public static int PartitionOf(string partitionKey, int partitions)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ValidateCount(partitions, nameof(partitions));
        var length = Encoding.UTF8.GetMaxByteCount(partitionKey.Length);
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(partitionKey, buffer);
            return (int)(Murmur3(buffer[..written]) % (uint)partitions);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The partition of <paramref name="envelope"/> in a log of <paramref name="partitions"/> partitions.</summary>
    public static int PartitionOf(EventEnvelope envelope, int partitions)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return PartitionOf(envelope.PartitionKey, envelope.Id, partitions);
    }

    /// <summary>Checks a partition count: 1 to <see cref="MaxPartitions"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is outside that range.</exception>
    public static void ValidateCount(int partitions, string parameterName)
    {
        if (partitions is < 1 or > MaxPartitions)
            throw new ArgumentOutOfRangeException(parameterName, partitions,
                $"A log has 1 to {MaxPartitions} partitions; {partitions} was asked for.");
    }

    /// <summary>MurmurHash3 x86 32-bit with seed 0.</summary>
    internal static uint Murmur3(ReadOnlySpan<byte> data)
    {
        const uint C1 = 0xcc9e2d51;
        const uint C2 = 0x1b873593;
        uint hash = 0;
        var blocks = data.Length / 4;
        for (var i = 0; i < blocks; i++)
        {
            var k = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(i * 4, 4));
            k *= C1;
            k = uint.RotateLeft(k, 15);
            k *= C2;
            hash ^= k;
            hash = uint.RotateLeft(hash, 13);
            hash = (hash * 5) + 0xe6546b64;
        }

        var tail = data[(blocks * 4)..];
        uint last = 0;
        switch (tail.Length)
        {
            case 3:
                last ^= (uint)tail[2] << 16;
                goto case 2;
            case 2:
                last ^= (uint)tail[1] << 8;
                goto case 1;
            case 1:
                last ^= tail[0];
                last *= C1;
                last = uint.RotateLeft(last, 15);
                last *= C2;
                hash ^= last;
                break;
        }

        hash ^= (uint)data.Length;
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash;
    }
}
