//! Advent of Code 2022 Day 23 solved the write-up's way, with Zig's own
//! `std.heap.FixedBufferAllocator` and `std.AutoHashMap(Point2D, void)`:
//! the input read into the (first) buffer with `readFileAlloc`, one map per
//! round reserved once for the elf count (`ensureTotalCapacity`) and filled
//! with `putAssumeCapacity`.
//!
//!     solve [--strategy leaky|tempcopy|pingpong|reuse] [--buffer-size BYTES]
//!           [--max-rounds N] INPUT
//!
//! Strategies (where each round's new map lives):
//!   leaky     one FBA: the new map in it, the old one freed (not the last
//!             block: nothing reclaimed), so one map leaks per round.
//!   tempcopy  the write-up's `step_with_tempalloc`: each round a fresh FBA
//!             over the temp buffer, the new map built there and copied back
//!             into the main map (clearRetainingCapacity + putAssumeCapacity);
//!             the new map is not freed (the next round's fresh FBA drops it).
//!   pingpong  two FBAs taking turns: the input and the first map in `a`,
//!             round 1's map in `b`, round 2's in `a`, ...; the old map is the
//!             last (and only) block of its FBA, so freeing it reclaims it.
//!   reuse     one FBA, two maps: the spare reserved once, right after the
//!             first map (before round 0); each round
//!             `clearRetainingCapacity` on the spare, fill it, swap the two.
//!             Nothing is allocated or freed after round 0.
//!
//! Output on stdout, one fact per line, made to be diffed (check.sh writes
//! day23's figures in the same form):
//!
//!     strategy leaky buffer_size 4194304
//!     elves 2457
//!     round 0 moved 0 main 41864          (after parsing; every buffer's end_index)
//!     round 1 moved 1227 main 78752       (after each round)
//!     ...
//!     part1 3784                          ('-' if not reached)
//!     part2 -
//!     oom round 113 buffer main in_use 4172416 requested 36888
//!
//! Running out of memory is a result, not a crash: the `oom` line names the
//! round being played (0: the input or the first map), the buffer, its
//! end_index at that moment and the request that failed, and the exit code is
//! 3. Other errors (bad flags, unreadable or malformed input) exit 1 or 2.
//!
//! The buffers come from `std.heap.page_allocator` (Zig has no runtime-sized
//! stack arrays), so they are page-aligned: at least day23's 64 bytes, so
//! every offset, padding included, is the same.

const std = @import("std");
const Io = std.Io;
const Allocator = std.mem.Allocator;
const FixedBufferAllocator = std.heap.FixedBufferAllocator;

const Point2D = struct { x: i32, y: i32 };
const Map = std.AutoHashMap(Point2D, void);

const Strategy = enum { leaky, tempcopy, pingpong, reuse };

/// A thin pass-through in front of an FBA that only remembers the length of
/// the last request it refused, for the `oom` line. Every call goes to the
/// FBA unchanged, with the same slices, so its `end_index` is the FBA's own.
const Recorder = struct {
    fba: FixedBufferAllocator,
    refused: usize = 0,

    fn allocator(self: *Recorder) Allocator {
        return .{ .ptr = self, .vtable = &.{ .alloc = alloc, .resize = resize, .remap = remap, .free = free } };
    }
    fn alloc(ctx: *anyopaque, n: usize, a: std.mem.Alignment, ra: usize) ?[*]u8 {
        const self: *Recorder = @ptrCast(@alignCast(ctx));
        const p = FixedBufferAllocator.alloc(&self.fba, n, a, ra);
        if (p == null) self.refused = n;
        return p;
    }
    fn resize(ctx: *anyopaque, buf: []u8, a: std.mem.Alignment, n: usize, ra: usize) bool {
        const self: *Recorder = @ptrCast(@alignCast(ctx));
        const ok = FixedBufferAllocator.resize(&self.fba, buf, a, n, ra);
        if (!ok) self.refused = n;
        return ok;
    }
    fn remap(ctx: *anyopaque, buf: []u8, a: std.mem.Alignment, n: usize, ra: usize) ?[*]u8 {
        const self: *Recorder = @ptrCast(@alignCast(ctx));
        const p = FixedBufferAllocator.remap(&self.fba, buf, a, n, ra);
        if (p == null) self.refused = n;
        return p;
    }
    fn free(ctx: *anyopaque, buf: []u8, a: std.mem.Alignment, ra: usize) void {
        const self: *Recorder = @ptrCast(@alignCast(ctx));
        FixedBufferAllocator.free(&self.fba, buf, a, ra);
    }
};

/// Neighbour bits: NW N NE W E SW S SE.
const nw = 1 << 0;
const n_ = 1 << 1;
const ne = 1 << 2;
const w_ = 1 << 3;
const e_ = 1 << 4;
const sw = 1 << 5;
const s_ = 1 << 6;
const se = 1 << 7;
const offsets = [8][2]i32{ .{ -1, -1 }, .{ 0, -1 }, .{ 1, -1 }, .{ -1, 0 }, .{ 1, 0 }, .{ -1, 1 }, .{ 0, 1 }, .{ 1, 1 } };

/// The four directions in the puzzle's order N, S, W, E: the step and the
/// three neighbours that must be free.
const Dir = struct { dx: i32, dy: i32, mask: u8 };
const dirs = [4]Dir{
    .{ .dx = 0, .dy = -1, .mask = nw | n_ | ne },
    .{ .dx = 0, .dy = 1, .mask = sw | s_ | se },
    .{ .dx = -1, .dy = 0, .mask = nw | w_ | sw },
    .{ .dx = 1, .dy = 0, .mask = ne | e_ | se },
};

fn add(p: Point2D, dx: i32, dy: i32) Point2D {
    return .{ .x = p.x + dx, .y = p.y + dy };
}

/// Where the elf at `p` proposes to go in the round whose first direction is
/// `first` (0 = N): null if it has no neighbour or every direction is blocked.
fn propose(cells: *const Map, p: Point2D, first: usize) ?Point2D {
    var mask: u8 = 0;
    for (offsets, 0..) |o, i| {
        if (cells.contains(add(p, o[0], o[1]))) mask |= @as(u8, 1) << @intCast(i);
    }
    if (mask == 0) return null;
    for (0..4) |k| {
        const d = dirs[(first + k) % 4];
        if (mask & d.mask == 0) return add(p, d.dx, d.dy);
    }
    return null;
}

/// The elf's position after the round: its proposal, unless another elf
/// proposes the same cell, in which case it stays.
fn destination(cells: *const Map, p: Point2D, first: usize) Point2D {
    const t = propose(cells, p, first) orelse return p;
    // Any elf proposing `t` is one of its four orthogonal neighbours: `p`,
    // the cell beyond `t`, and the two beside `t`. The two beside `t` are
    // `p`'s diagonal neighbours on that side, which the proposal found free,
    // so the cell beyond is the only one to look at.
    const q: Point2D = .{ .x = 2 * t.x - p.x, .y = 2 * t.y - p.y };
    if (cells.contains(q)) {
        if (propose(cells, q, first)) |u| {
            if (u.x == t.x and u.y == t.y) return p;
        }
    }
    return t;
}

/// Fills `new` (reserved for the elf count) with every elf's position after
/// the round. Returns how many moved.
fn step(old: *const Map, new: *Map, first: usize) usize {
    var moved: usize = 0;
    var it = old.keyIterator();
    while (it.next()) |p| {
        const q = destination(old, p.*, first);
        if (q.x != p.x or q.y != p.y) moved += 1;
        new.putAssumeCapacity(q, {});
    }
    if (new.count() != old.count()) std.debug.panic("two elves ended on one cell ({d} elves, {d} cells)", .{ old.count(), new.count() });
    return moved;
}

/// Empty ground tiles in the elves' bounding rectangle.
fn emptyGround(cells: *const Map) i64 {
    if (cells.count() == 0) return 0;
    var min_x: i32 = std.math.maxInt(i32);
    var max_x: i32 = std.math.minInt(i32);
    var min_y: i32 = std.math.maxInt(i32);
    var max_y: i32 = std.math.minInt(i32);
    var it = cells.keyIterator();
    while (it.next()) |p| {
        min_x = @min(min_x, p.x);
        max_x = @max(max_x, p.x);
        min_y = @min(min_y, p.y);
        max_y = @max(max_y, p.y);
    }
    const area = (@as(i64, max_x) - min_x + 1) * (@as(i64, max_y) - min_y + 1);
    return area - @as(i64, cells.count());
}

const Oom = struct { round: usize, buffer: []const u8, in_use: usize, requested: usize };

const State = struct {
    names: []const []const u8,
    bufs: [2]Recorder,
    out: *Io.Writer,

    fn printRound(self: *State, round: usize, moved: usize) !void {
        try self.out.print("round {d} moved {d}", .{ round, moved });
        for (self.names, 0..) |name, i| try self.out.print(" {s} {d}", .{ name, self.bufs[i].fba.end_index });
        try self.out.writeByte('\n');
    }
    fn oom(self: *State, round: usize, b: usize) Oom {
        return .{ .round = round, .buffer = self.names[b], .in_use = self.bufs[b].fba.end_index, .requested = self.bufs[b].refused };
    }
};

/// The buffer of `--buffer-size 0` (page_allocator gives no usable pointer for 0 bytes).
var empty_buffer: [0]u8 align(64) = .{};

fn fail(comptime fmt: []const u8, args: anytype) noreturn {
    std.debug.print("solve: " ++ fmt ++ "\n", args);
    std.process.exit(2);
}

fn parseSize(s: []const u8) usize {
    const units = [_]struct { []const u8, usize }{ .{ "GiB", 1 << 30 }, .{ "MiB", 1 << 20 }, .{ "KiB", 1 << 10 } };
    for (units) |u| {
        if (std.mem.endsWith(u8, s, u[0])) {
            const n = std.fmt.parseUnsigned(usize, s[0 .. s.len - u[0].len], 10) catch fail("bad size '{s}'", .{s});
            return std.math.mul(usize, n, u[1]) catch fail("size '{s}' too large", .{s});
        }
    }
    return std.fmt.parseUnsigned(usize, s, 10) catch fail("bad size '{s}' (bytes, or a number with KiB, MiB or GiB)", .{s});
}

pub fn main(init: std.process.Init) !u8 {
    const io = init.io;

    var strategy: Strategy = .leaky;
    var buffer_size: usize = 4 << 20;
    var max_rounds: ?usize = null;
    var path: ?[]const u8 = null;
    var args = init.minimal.args.iterate();
    _ = args.skip();
    while (args.next()) |arg| {
        if (std.mem.eql(u8, arg, "--strategy") or std.mem.eql(u8, arg, "-s")) {
            const v = args.next() orelse fail("--strategy needs a value", .{});
            strategy = std.meta.stringToEnum(Strategy, v) orelse fail("unknown strategy '{s}' (leaky, tempcopy, pingpong, reuse)", .{v});
        } else if (std.mem.eql(u8, arg, "--buffer-size") or std.mem.eql(u8, arg, "-b")) {
            buffer_size = parseSize(args.next() orelse fail("--buffer-size needs a value", .{}));
        } else if (std.mem.eql(u8, arg, "--max-rounds")) {
            const v = args.next() orelse fail("--max-rounds needs a value", .{});
            max_rounds = std.fmt.parseUnsigned(usize, v, 10) catch fail("bad --max-rounds '{s}'", .{v});
        } else if (arg.len > 0 and arg[0] == '-') {
            fail("unknown flag '{s}'; usage: solve [--strategy leaky|tempcopy|pingpong|reuse] [--buffer-size BYTES] [--max-rounds N] INPUT", .{arg});
        } else {
            if (path != null) fail("more than one input", .{});
            path = arg;
        }
    }
    const input_path = path orelse fail("usage: solve [--strategy leaky|tempcopy|pingpong|reuse] [--buffer-size BYTES] [--max-rounds N] INPUT", .{});

    var out_buf: [1 << 16]u8 = undefined;
    // Streaming, not positional: stdout may be a file opened for appending or shared.
    var out_writer = Io.File.stdout().writerStreaming(io, &out_buf);
    const out = &out_writer.interface;
    defer out.flush() catch {};

    // The buffers: page-aligned, from the OS; one for leaky, two otherwise.
    const names: []const []const u8 = switch (strategy) {
        .leaky, .reuse => &.{"main"},
        .tempcopy => &.{ "main", "temp" },
        .pingpong => &.{ "a", "b" },
    };
    var st: State = .{ .names = names, .bufs = undefined, .out = out };
    for (0..names.len) |i| {
        const mem = if (buffer_size == 0) &empty_buffer else std.heap.page_allocator.alloc(u8, buffer_size) catch fail("could not get a buffer of {d} bytes", .{buffer_size});
        if (@intFromPtr(mem.ptr) % 64 != 0) fail("buffer not 64-byte aligned", .{});
        st.bufs[i] = .{ .fba = FixedBufferAllocator.init(mem) };
    }
    try out.print("strategy {s} buffer_size {d}\n", .{ @tagName(strategy), buffer_size });

    var part1: ?i64 = null;
    var part2: ?usize = null;
    const result = run(io, input_path, strategy, max_rounds, &st, &part1, &part2) catch |err| switch (err) {
        error.BadInput => return 1,
        else => |e| return e,
    };
    if (part1) |v| try out.print("part1 {d}\n", .{v}) else try out.print("part1 -\n", .{});
    if (part2) |v| try out.print("part2 {d}\n", .{v}) else try out.print("part2 -\n", .{});
    if (result) |o| {
        try out.print("oom round {d} buffer {s} in_use {d} requested {d}\n", .{ o.round, o.buffer, o.in_use, o.requested });
        return 3;
    }
    return 0;
}

/// Parses and plays; returns the out-of-memory event, if any.
fn run(
    io: Io,
    input_path: []const u8,
    strategy: Strategy,
    max_rounds: ?usize,
    st: *State,
    part1: *?i64,
    part2: *?usize,
) !?Oom {
    // Round 0: the input into the first buffer, its size exactly.
    const first = st.bufs[0].allocator();
    const text = Io.Dir.cwd().readFileAlloc(io, input_path, first, .unlimited) catch |err| switch (err) {
        error.OutOfMemory => return st.oom(0, 0),
        else => {
            std.debug.print("solve: cannot read '{s}': {t}\n", .{ input_path, err });
            return error.BadInput;
        },
    };

    var count: u32 = 0;
    for (text) |c| {
        switch (c) {
            '#' => count += 1,
            '.', '\n', '\r' => {},
            else => {
                std.debug.print("solve: unexpected byte 0x{x} in '{s}'\n", .{ c, input_path });
                return error.BadInput;
            },
        }
    }
    try st.out.print("elves {d}\n", .{count});

    var cells = Map.init(first);
    cells.ensureTotalCapacity(count) catch return st.oom(0, 0);
    {
        var x: i32 = 0;
        var y: i32 = 0;
        for (text) |c| {
            switch (c) {
                '#' => {
                    cells.putAssumeCapacity(.{ .x = x, .y = y }, {});
                    x += 1;
                },
                '.' => x += 1,
                '\n' => {
                    x = 0;
                    y += 1;
                },
                else => {},
            }
        }
    }
    // reuse's spare, right after the first map (as day23 does); the other
    // strategies never touch it.
    var spare = Map.init(first);
    if (strategy == .reuse) spare.ensureTotalCapacity(count) catch return st.oom(0, 0);
    // As day23 does: the input freed once the first map holds the elves; it
    // is not the last block, so the FBA reclaims nothing.
    first.free(text);
    try st.printRound(0, 0);

    var round: usize = 1;
    while (true) : (round += 1) {
        if (max_rounds) |m| if (round > m) break;
        const first_dir = (round - 1) % 4;
        var moved: usize = undefined;
        switch (strategy) {
            .leaky, .pingpong => {
                const b: usize = if (strategy == .leaky) 0 else round % 2;
                var new_cells = Map.init(st.bufs[b].allocator());
                new_cells.ensureTotalCapacity(count) catch {
                    const o = st.oom(round, b);
                    cells.deinit();
                    return o;
                };
                moved = step(&cells, &new_cells, first_dir);
                cells.deinit();
                cells = new_cells;
            },
            .reuse => {
                // The spare keeps its table: nothing allocates.
                spare.clearRetainingCapacity();
                moved = step(&cells, &spare, first_dir);
                std.mem.swap(Map, &cells, &spare);
            },
            .tempcopy => {
                // step_with_tempalloc: a fresh FBA over the temp buffer; the
                // new map is never freed, the next round's FBA forgets it.
                st.bufs[1].fba = FixedBufferAllocator.init(st.bufs[1].fba.buffer);
                var new_cells = Map.init(st.bufs[1].allocator());
                new_cells.ensureTotalCapacity(count) catch return st.oom(round, 1);
                moved = step(&cells, &new_cells, first_dir);
                cells.clearRetainingCapacity();
                var it = new_cells.keyIterator();
                while (it.next()) |p| cells.putAssumeCapacity(p.*, {});
            },
        }
        try st.printRound(round, moved);
        if (round == 10) part1.* = emptyGround(&cells);
        if (moved == 0 and part2.* == null) part2.* = round;
        if (round >= 10 and part2.* != null) break;
    }
    return null;
}
