using System;
using System.IO;

namespace DiffGen.GradBench.Protocol;

/// <summary>
/// Reads '\n'-terminated lines from a stream into one reusable byte buffer, so a 25 MB message is
/// parsed where it lies (no string, no second copy). A line is valid until the next call.
/// </summary>
public sealed class LineReader
{
    private readonly Stream _stream;
    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private int _scanned;
    private bool _endOfStream;

    public LineReader(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

    /// <summary>The next line without its '\n' (and a trailing '\r'); false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            int newline = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                int stop = _scanned + newline;
                line = TrimCarriageReturn(_buffer.AsSpan(_start, stop - _start));
                _start = _scanned = stop + 1;
                return true;
            }

            _scanned = _end;
            if (_endOfStream)
            {
                line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start));
                bool any = _end > _start;
                _start = _scanned = _end;
                return any;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            // Move the partial line to the front before reading more.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _end += read;
    }

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line)
        => line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
}
