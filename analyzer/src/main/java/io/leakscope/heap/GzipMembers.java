package io.leakscope.heap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * A gzip file's members inflated one after the other, as {@link java.util.zip.GZIPInputStream} does (CRC and
 * size checked, trailing bytes that are no member ignored), noting where each member starts in the file and in
 * the inflated stream, which GZIPInputStream does not tell.
 * <p>
 * That is what makes a compressed dump readable in parallel: {@code jcmd PID GC.heap_dump -gz=N} writes the dump
 * as independent members of 1 MiB inflated each ("HPROF BLOCKSIZE=1048576" in the first member's header), so a
 * reader can start at any member. Pass 1 inflates the whole file and notes the members; pass 2 then starts
 * each part's inflating at the member holding the part's first byte.
 */
final class GzipMembers extends InputStream implements GzipInput {
    /** The first member's header comment in dumps HotSpot compresses ({@code jcmd GC.heap_dump -gz}). */
    static final String HOTSPOT_BLOCKS = "HPROF BLOCKSIZE=";

    private final FileChannel channel;
    private final ByteBuffer raw = ByteBuffer.allocate(1 << 16);
    private long rawBase;                 // file offset of raw's byte 0
    private boolean rawEof;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final Starts starts;          // where members start, when noted; else null
    private final boolean oneMember;      // stop after the first member; the channel is then the caller's
    private long inflated;                // bytes inflated so far, counted from `startOffset`
    private final long startOffset;
    private long memberStart;             // inflated offset where the current member started
    private boolean ended;
    private String firstComment;
    private volatile long fileBytesRead;  // for progress, read by another thread

    /**
     * Inflates from {@code fileOffset} in {@code channel}, which must be a member's start; {@code offset} is
     * where in the inflated stream that member starts. With {@code noteMembers}, each member's start is kept
     * ({@link #memberFileOffsets}, {@link #memberOffsets}). Reads the first member's header at once: a header
     * that is no gzip header throws here.
     */
    GzipMembers(FileChannel channel, long fileOffset, long offset, boolean noteMembers) throws IOException {
        this(channel, fileOffset, offset, noteMembers ? new Starts() : null, false, false);
    }

    /**
     * Notes each member's start into {@code starts}, unless null. With {@code oneMember}, only the member at
     * {@code fileOffset} ({@link #end} tells where it ended), and
     * {@link #close} leaves the channel open: a thread inflating many members with its own channel. With
     * {@code continuing}, {@code fileOffset} is where an earlier member ended: bytes there that are no member
     * end the stream, as they do after any member.
     */
    GzipMembers(FileChannel channel, long fileOffset, long offset, Starts starts, boolean oneMember,
                boolean continuing) throws IOException {
        this.channel = channel;
        this.starts = starts;
        this.oneMember = oneMember;
        this.startOffset = offset;
        channel.position(fileOffset);
        rawBase = fileOffset;
        raw.limit(0);
        if (continuing) {
            ended = !header(false);
        } else if (!header(true)) {
            throw new EOFException("empty gzip stream");
        }
    }

    /** Whether the first member's header says HotSpot wrote the dump in independent blocks. */
    boolean hotspotBlocks() {
        return firstComment != null && firstComment.startsWith(HOTSPOT_BLOCKS);
    }

    /** The dump bytes in each of HotSpot's blocks, from the first member's header; 0 when it says none. */
    int blockSize() {
        if (!hotspotBlocks()) {
            return 0;
        }
        String digits = firstComment.substring(HOTSPOT_BLOCKS.length()).trim();
        try {
            long v = Long.parseLong(digits);
            return v >= (1 << 12) && v <= (64 << 20) ? (int) v : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Bytes of the file consumed so far (the inflater may hold some of them). */
    private long fileOffset() {
        return rawBase + raw.position();
    }

    /** Where in the file the member ended, once this read to its end ({@code oneMember}). */
    long end() {
        return fileOffset();
    }

    /** How far into the file this has read (a little ahead of what it inflated): a pass's progress. */
    @Override
    public long fileBytesRead() {
        return fileBytesRead;
    }

    /** Members noted so far (when noting). */
    int members() {
        return starts.count();
    }

    @Override
    public Starts starts() {
        return starts;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int idle = 0;
        while (!ended) {
            if (inflater.needsInput()) {
                if (!raw.hasRemaining() && !fill()) {
                    throw new EOFException("Unexpected end of ZLIB input stream");
                }
                inflater.setInput(raw.array(), raw.position(), raw.remaining());
            }
            int n;
            try {
                n = inflater.inflate(b, off, len);
            } catch (DataFormatException e) {
                throw new ZipException(e.getMessage() == null ? "invalid deflate data" : e.getMessage());
            }
            // raw's position stays where the inflater is: the bytes before it are consumed
            raw.position(raw.limit() - inflater.getRemaining());
            if (n > 0) {
                crc.update(b, off, n);
                inflated += n;
                return n;
            }
            if (inflater.finished()) {
                trailer();
                if (oneMember || !header(false)) {
                    ended = true;
                }
            } else if (inflater.needsDictionary()) {
                throw new ZipException("deflate stream needs a preset dictionary");
            } else if (!inflater.needsInput() && ++idle > 3) {
                throw new ZipException("deflate stream makes no progress");
            }
        }
        return -1;
    }

    /** Checks the member's CRC and size, as GZIPInputStream does. */
    private void trailer() throws IOException {
        if (!need(8)) {
            throw new EOFException("Unexpected end of ZLIB input stream");
        }
        long expectCrc = u4le();
        long expectSize = u4le();
        if (expectCrc != crc.getValue() || expectSize != ((inflated + startOffset - memberStart) & 0xffff_ffffL)) {
            throw new ZipException("Corrupt GZIP trailer");
        }
    }

    /**
     * Reads a member's header if one starts here; false at the end of the file, or (after the first member)
     * where the bytes are no gzip member, which GZIPInputStream ignores too.
     */
    private boolean header(boolean first) throws IOException {
        long at = fileOffset();
        if (!need(2)) {
            if (first && raw.remaining() > 0) {
                throw new EOFException("Unexpected end of gzip header");
            }
            return false;
        }
        if ((raw.get(raw.position()) & 0xff) != 0x1f || (raw.get(raw.position() + 1) & 0xff) != 0x8b) {
            if (first) {
                throw new ZipException("Not in GZIP format");
            }
            return false;
        }
        CRC32 headerCrc = new CRC32();
        byte[] fixed = bytes(10, headerCrc);
        if ((fixed[2] & 0xff) != 8) {
            throw new ZipException("Unsupported compression method");
        }
        int flags = fixed[3] & 0xff;
        if ((flags & 4) != 0) {
            byte[] x = bytes(2, headerCrc);
            bytes((x[0] & 0xff) | (x[1] & 0xff) << 8, headerCrc);
        }
        if ((flags & 8) != 0) {
            zeroTerminated(headerCrc);
        }
        if ((flags & 16) != 0) {
            String comment = zeroTerminated(headerCrc);
            if (first) {
                firstComment = comment;
            }
        }
        if ((flags & 2) != 0) {
            int v = (int) headerCrc.getValue() & 0xffff;
            byte[] h = bytes(2, null);
            if (((h[0] & 0xff) | (h[1] & 0xff) << 8) != v) {
                throw new ZipException("Corrupt GZIP header");
            }
        }
        if (starts != null) {
            starts.add(at, startOffset + inflated);
        }
        memberStart = startOffset + inflated;
        inflater.reset();
        crc.reset();
        return true;
    }

    private byte[] bytes(int n, CRC32 headerCrc) throws IOException {
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            if (!need(1)) {
                throw new EOFException("Unexpected end of gzip header");
            }
            out[i] = raw.get();
        }
        if (headerCrc != null) {
            headerCrc.update(out);
        }
        return out;
    }

    /** A zero-terminated header field, as Latin-1 (the comment); at most 64 KB kept. */
    private String zeroTerminated(CRC32 headerCrc) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            byte[] b = bytes(1, headerCrc);
            if (b[0] == 0) {
                return sb.toString();
            }
            if (sb.length() < (1 << 16)) {
                sb.append(new String(b, StandardCharsets.ISO_8859_1));
            }
        }
    }

    private long u4le() {
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (long) (raw.get() & 0xff) << (8 * i);
        }
        return v;
    }

    /** At least {@code n} (at most the buffer's size) unread bytes in {@code raw}, unless the file ends first. */
    private boolean need(int n) throws IOException {
        while (raw.remaining() < n) {
            if (!fill()) {
                return false;
            }
        }
        return true;
    }

    /** Reads more of the file after what is unread in {@code raw}; false at the end of the file. */
    private boolean fill() throws IOException {
        if (rawEof) {
            return false;
        }
        rawBase += raw.position();
        raw.compact();
        int r = channel.read(raw);
        raw.flip();
        if (r < 0) {
            rawEof = true;
            return false;
        }
        fileBytesRead = rawBase + raw.limit();
        return true;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        if (!oneMember) {
            channel.close();
        }
    }
}
