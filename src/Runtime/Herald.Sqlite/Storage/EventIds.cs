using System.Buffers.Binary;

namespace Herald.Sqlite.Storage;

/// <summary>
/// Event ids as stored: 16 bytes in RFC 9562 (big-endian) order, so <c>hex(id)</c> in the sqlite3 shell reads as the
/// UUID and UUIDv7 ids sort by time.
/// </summary>
internal static class EventIds
{
    public const int Size = 16;

    public static byte[] ToBytes(Guid id) => id.ToByteArray(bigEndian: true);

    public static void Write(Guid id, Span<byte> destination)
    {
        if (!id.TryWriteBytes(destination, bigEndian: true, out _))
            throw new ArgumentException("The destination is shorter than 16 bytes.", nameof(destination));
    }

    public static Guid Read(ReadOnlySpan<byte> bytes) => new(bytes, bigEndian: true);

    /// <summary>
    /// A stable id for a row whose own id cannot be read: a UUIDv8 ("custom") made of the bytes of "hera", the
    /// partition and the position, so every read of the row gives the same id and a consumer's inbox works for it as for
    /// any envelope.
    /// </summary>
    public static Guid ForUnreadableRow(int partition, long position)
    {
        Span<byte> bytes = stackalloc byte[Size];
        "hera"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)partition);
        bytes[6] = (byte)(0x80 | ((partition >> 16) & 0x0F)); // version 8
        bytes[7] = (byte)(partition >> 20);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], position);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return Read(bytes);
    }
}
