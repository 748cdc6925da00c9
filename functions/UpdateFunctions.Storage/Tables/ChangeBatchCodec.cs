using System.Text;
using UpdateFunctions.Core.Apps;
using UpdateFunctions.Storage.Changes;

namespace UpdateFunctions.Storage.Tables;

/// <summary>
/// Several changes of one app in one binary property of a <see cref="ChangeEntity"/>: a group commit of k writes adds
/// one log row, not k, so the log partition grows (and a reader pages) by commits, not by writes. Each change keeps its
/// own position; a device change its state (or a tombstone). Anything that does not decode is <see cref="InvalidDataException"/>.
/// </summary>
internal static class ChangeBatchCodec
{
    /// <summary>Under the 64 KiB limit of a binary property.</summary>
    public const int MaxBytes = 60_000;

    private const byte FormatVersion = 1;

    [Flags]
    private enum Flags : byte
    {
        None = 0,
        Refetch = 1,
        HasState = 2,
        Override = 4,
        Pinned = 8,
        SelfAssigned = 16,
    }

    /// <summary>Appends one change to <paramref name="writer"/>; the caller starts a new row before <see cref="MaxSize"/> would take it past <see cref="MaxBytes"/>.</summary>
    public static void Write(BinaryWriter writer, CatalogChange change, bool refetch)
    {
        var device = change.Kind == CatalogEntityKind.Device && !refetch && change.Known ? change.Value as DeviceRecord : null;
        var flags = (refetch ? Flags.Refetch : Flags.None)
            | (device is not null ? Flags.HasState : Flags.None)
            | (device?.OverrideChannel is not null ? Flags.Override : Flags.None)
            | (device?.PinnedBundle is not null ? Flags.Pinned : Flags.None)
            | (device?.SelfAssignedChannel is not null ? Flags.SelfAssigned : Flags.None);
        writer.Write((byte)change.Kind);
        writer.Write((byte)flags);
        writer.Write(change.Position);
        writer.Write(change.Key);
        if (device?.OverrideChannel is { } overrideChannel)
            writer.Write(overrideChannel);
        if (device?.PinnedBundle is { } pinned)
            writer.Write(pinned);
        if (device?.SelfAssignedChannel is { } self)
            writer.Write(self);
    }

    public static void WriteHeader(BinaryWriter writer) => writer.Write(FormatVersion);

    /// <summary>An upper bound of the bytes <see cref="Write"/> takes for <paramref name="change"/> (UTF-8 and length prefixes included).</summary>
    public static int MaxSize(CatalogChange change)
    {
        var device = change.Value as DeviceRecord;
        return 2 + 8 + StringSize(change.Key) + StringSize(device?.OverrideChannel) + StringSize(device?.PinnedBundle) + StringSize(device?.SelfAssignedChannel);

        static int StringSize(string? value) => value is null ? 0 : 5 + Encoding.UTF8.GetMaxByteCount(value.Length);
    }

    public static List<CatalogChange> Read(string appId, byte[] packed)
    {
        var changes = new List<CatalogChange>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(packed, writable: false), Encoding.UTF8);
            if (reader.ReadByte() != FormatVersion)
                throw new InvalidDataException($"Packed changes of {appId} have an unknown format.");
            while (reader.BaseStream.Position < reader.BaseStream.Length)
            {
                var kind = (CatalogEntityKind)reader.ReadByte();
                if (!Enum.IsDefined(kind))
                    throw new InvalidDataException($"Packed changes of {appId} hold an unknown kind {(byte)kind}.");
                var flags = (Flags)reader.ReadByte();
                var position = reader.ReadInt64();
                var key = reader.ReadString();
                if (kind != CatalogEntityKind.Device || flags.HasFlag(Flags.Refetch) || key == CatalogChange.ImportKey)
                {
                    changes.Add(new CatalogChange(appId, kind, key, position, Known: false, Value: null));
                    continue;
                }
                DeviceRecord? state = null;
                if (flags.HasFlag(Flags.HasState))
                {
                    var overrideChannel = flags.HasFlag(Flags.Override) ? reader.ReadString() : null;
                    var pinned = flags.HasFlag(Flags.Pinned) ? reader.ReadString() : null;
                    var self = flags.HasFlag(Flags.SelfAssigned) ? reader.ReadString() : null;
                    state = new DeviceRecord(key, overrideChannel, pinned, self);
                }
                changes.Add(new CatalogChange(appId, kind, key, position, Known: true, state));
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or FormatException)
        {
            throw new InvalidDataException($"Packed changes of {appId} are truncated.", ex);
        }
        return changes;
    }
}
