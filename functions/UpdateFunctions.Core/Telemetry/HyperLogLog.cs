using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Text;

namespace UpdateFunctions.Core.Telemetry;

/// <summary>
/// A HyperLogLog sketch of distinct devices (Flajolet et al. 2007) with one byte per register.
/// </summary>
/// <remarks>
/// <para>Precision 12 (the default) gives m = 4096 registers = 4 KiB and a standard error of
/// 1.04/√m ≈ 1.6 %: enough for adoption ratios that gate rollouts, and small enough that one sketch
/// per metrics row (key × hour × partition) stays cheap; precision 14 would cost 16 KiB a row for 0.8 %.</para>
/// <para>Items are 64-bit XxHash64 values (<see cref="Hash(string)"/>), stable across processes and
/// machines — never <see cref="string.GetHashCode()"/>, which is randomised per process. With 64-bit
/// hashes no large-range correction is needed; the small range uses linear counting.</para>
/// <para><see cref="Merge"/> takes the register-wise maximum: idempotent, commutative and associative,
/// so a sketch merged twice, or in any order, is the same sketch.</para>
/// </remarks>
public sealed class HyperLogLog : IEquatable<HyperLogLog>
{
    public const int DefaultPrecision = 12;
    public const int MinPrecision = 4;
    public const int MaxPrecision = 16;

    private const byte DenseFormat = 1;
    private const byte SparseFormat = 2;
    private const int HeaderSize = 2;
    private const int SparseEntrySize = 3;

    // 2^-k for every register value a 64-bit hash can produce (k ≤ 64 − 4 + 1).
    private static readonly double[] InversePowersOfTwo = CreateInversePowersOfTwo();

    private readonly byte[] _registers;

    public HyperLogLog(int precision = DefaultPrecision)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(precision, MinPrecision);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(precision, MaxPrecision);
        Precision = precision;
        _registers = new byte[1 << precision];
    }

    private HyperLogLog(int precision, byte[] registers)
    {
        Precision = precision;
        _registers = registers;
    }

    public int Precision { get; }

    /// <summary>Number of registers, 2^<see cref="Precision"/>.</summary>
    public int RegisterCount => _registers.Length;

    /// <summary>Relative standard error of <see cref="Estimate"/>, 1.04/√m.</summary>
    public double StandardError => StandardErrorFor(Precision);

    public bool IsEmpty => !_registers.AsSpan().ContainsAnyExcept((byte)0);

    public static double StandardErrorFor(int precision) => 1.04 / Math.Sqrt(1 << precision);

    /// <summary>The stable 64-bit hash of a device id: XxHash64 (seed 0) of its UTF-8 bytes.</summary>
    public static ulong Hash(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(deviceId.Length);
        if (maxBytes <= 512)
        {
            Span<byte> buffer = stackalloc byte[512];
            var written = Encoding.UTF8.GetBytes(deviceId, buffer);
            return XxHash64.HashToUInt64(buffer[..written]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var written = Encoding.UTF8.GetBytes(deviceId, rented);
            return XxHash64.HashToUInt64(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Adds an item by its 64-bit hash. Allocation-free.</summary>
    public void Add(ulong hash)
    {
        var index = (int)(hash >> (64 - Precision));
        // The remaining 64 − p bits, with a guard bit so the rank is at most 64 − p + 1.
        var rest = (hash << Precision) | (1UL << (Precision - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(rest) + 1);
        ref var register = ref _registers[index];
        if (rank > register)
            register = rank;
    }

    public void AddDevice(string deviceId) => Add(Hash(deviceId));

    /// <summary>Union: register-wise maximum. Both sketches must have the same precision.</summary>
    public void Merge(HyperLogLog other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Precision != Precision)
            throw new ArgumentException($"Cannot merge a precision-{other.Precision} sketch into a precision-{Precision} one.", nameof(other));
        var mine = _registers.AsSpan();
        var theirs = other._registers.AsSpan();
        // Vectorised by the JIT through System.Numerics.Vector where available.
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= mine.Length - Vector<byte>.Count; i += Vector<byte>.Count)
                Vector.Max(new Vector<byte>(mine[i..]), new Vector<byte>(theirs[i..])).CopyTo(mine[i..]);
        }

        for (; i < mine.Length; i++)
        {
            if (theirs[i] > mine[i])
                mine[i] = theirs[i];
        }
    }

    /// <summary>The estimated number of distinct items added.</summary>
    public double Estimate()
    {
        var m = _registers.Length;
        double sum = 0;
        var zeros = 0;
        foreach (var register in _registers)
        {
            sum += InversePowersOfTwo[register];
            if (register == 0)
                zeros++;
        }

        var raw = Alpha(m) * m * m / sum;
        // Small range: linear counting while some registers are still empty (the original paper's 5m/2 bound).
        if (raw <= 2.5 * m && zeros > 0)
            return m * Math.Log((double)m / zeros);
        return raw;
    }

    /// <summary><see cref="Estimate"/> rounded to a count.</summary>
    public long Count() => (long)Math.Round(Estimate(), MidpointRounding.AwayFromZero);

    public HyperLogLog Clone() => new(Precision, (byte[])_registers.Clone());

    /// <summary>
    /// Serialises the sketch for a Table binary property: a format byte, the precision, then either all registers
    /// (dense) or the non-zero ones as (index, value) pairs (sparse), whichever is smaller. At most 2 + 2^p bytes
    /// (4098 at precision 12, well under the 64 KiB property limit).
    /// </summary>
    public byte[] ToBytes()
    {
        var nonZero = _registers.Length - _registers.AsSpan().Count((byte)0);
        var sparseSize = HeaderSize + sizeof(ushort) + (nonZero * SparseEntrySize);
        var denseSize = HeaderSize + _registers.Length;
        if (sparseSize < denseSize)
        {
            var sparse = new byte[sparseSize];
            sparse[0] = SparseFormat;
            sparse[1] = (byte)Precision;
            BinaryPrimitives.WriteUInt16LittleEndian(sparse.AsSpan(HeaderSize), (ushort)nonZero);
            var offset = HeaderSize + sizeof(ushort);
            for (var i = 0; i < _registers.Length; i++)
            {
                if (_registers[i] == 0)
                    continue;
                BinaryPrimitives.WriteUInt16LittleEndian(sparse.AsSpan(offset), (ushort)i);
                sparse[offset + 2] = _registers[i];
                offset += SparseEntrySize;
            }

            return sparse;
        }

        var dense = new byte[denseSize];
        dense[0] = DenseFormat;
        dense[1] = (byte)Precision;
        _registers.CopyTo(dense, HeaderSize);
        return dense;
    }

    /// <summary>Reads a sketch written by <see cref="ToBytes"/>; throws <see cref="FormatException"/> on anything else.</summary>
    public static HyperLogLog FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderSize)
            throw new FormatException("A HyperLogLog sketch needs at least a format byte and a precision byte.");
        int precision = bytes[1];
        if (precision is < MinPrecision or > MaxPrecision)
            throw new FormatException($"Unsupported HyperLogLog precision {precision}.");
        var m = 1 << precision;
        var maxRank = 64 - precision + 1;
        var registers = new byte[m];
        switch (bytes[0])
        {
            case DenseFormat:
                if (bytes.Length != HeaderSize + m)
                    throw new FormatException($"A dense precision-{precision} sketch has {HeaderSize + m} bytes, not {bytes.Length}.");
                bytes[HeaderSize..].CopyTo(registers);
                break;
            case SparseFormat:
                if (bytes.Length < HeaderSize + sizeof(ushort))
                    throw new FormatException("A sparse sketch needs an entry count.");
                int count = BinaryPrimitives.ReadUInt16LittleEndian(bytes[HeaderSize..]);
                var entries = bytes[(HeaderSize + sizeof(ushort))..];
                if (entries.Length != count * SparseEntrySize)
                    throw new FormatException($"A sparse sketch of {count} entries has {count * SparseEntrySize} entry bytes, not {entries.Length}.");
                for (var e = 0; e < count; e++)
                {
                    var entry = entries.Slice(e * SparseEntrySize, SparseEntrySize);
                    int index = BinaryPrimitives.ReadUInt16LittleEndian(entry);
                    if (index >= m)
                        throw new FormatException($"Register index {index} is out of range for precision {precision}.");
                    registers[index] = entry[2];
                }

                break;
            default:
                throw new FormatException($"Unknown HyperLogLog format {bytes[0]}.");
        }

        if (registers.AsSpan().IndexOfAnyInRange((byte)(maxRank + 1), byte.MaxValue) >= 0)
            throw new FormatException($"A register exceeds the maximum rank {maxRank} of precision {precision}.");
        return new HyperLogLog(precision, registers);
    }

    public bool Equals(HyperLogLog? other) =>
        other is not null && other.Precision == Precision && other._registers.AsSpan().SequenceEqual(_registers);

    public override bool Equals(object? obj) => Equals(obj as HyperLogLog);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Precision);
        hash.AddBytes(_registers);
        return hash.ToHashCode();
    }

    private static double Alpha(int m) => m switch
    {
        16 => 0.673,
        32 => 0.697,
        64 => 0.709,
        _ => 0.7213 / (1 + (1.079 / m)),
    };

    private static double[] CreateInversePowersOfTwo()
    {
        var table = new double[65];
        for (var k = 0; k < table.Length; k++)
            table[k] = Math.Pow(2, -k);
        return table;
    }
}
