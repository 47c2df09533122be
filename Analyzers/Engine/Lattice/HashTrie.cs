using System;
using System.Collections;
using System.Collections.Generic;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// The persistent map under <see cref="FactMap{TFact}"/>: a hash trie over <see cref="TrackedLocation"/> keys (32-way
/// branches on five bits of the hash per level, at most three levels). A key sits in a leaf of its own at the highest level
/// where no other key shares its hash bits (below the third level a bucket holds every key that shares those 15 bits), and
/// the leaf keeps its identity when keys arrive beside it or leave (it moves down or up as it is): so a new key into a
/// sparse trie allocates its leaf and the path above it, not three single-child branches, and two states that share a
/// key's leaf still share it after either changed the branches around it (joins skip it). Every
/// update copies one path and shares the rest, so two states derived from a common one share all the subtrees neither
/// changed. <see cref="Merge"/> and <see cref="AreEqual"/> walk the two tries together and skip every pair of subtrees
/// that are the same object: their cost is proportional to what differs, not to the size of the map. That keeps joins
/// linear over a method however many values it tracks.
/// </summary>
internal sealed class HashTrie<TValue> : IEnumerable<KeyValuePair<TrackedLocation, TValue>>
{
    private const int Bits = 5;
    private const int Levels = 3;

    public static readonly HashTrie<TValue> Empty = new(null);

    private readonly Node? _root;

    private HashTrie(Node? root) => _root = root;

    public int Count => _root?.Count ?? 0;

    public bool IsEmpty => _root is null;

    /// <summary>How to combine the entries of two tries where paths meet (see <see cref="FactLattice{TFact}"/>).</summary>
    public interface IMerger
    {
        bool AreEqual(TValue left, TValue right);

        /// <summary>The entry where both sides have one; false to drop it.</summary>
        bool Both(TValue left, TValue right, out TValue merged);

        /// <summary>The entry where one side only has one; false to drop it.</summary>
        bool Alone(TValue value, out TValue merged);

        /// <summary>True when <see cref="Alone"/> keeps every entry unchanged: subtrees on one side only are shared as they are.</summary>
        bool AloneKeeps { get; }

        /// <summary>True when <see cref="Alone"/> drops every entry: subtrees on one side only are dropped unwalked.</summary>
        bool AloneDrops { get; }
    }

    public bool TryGetValue(TrackedLocation key, out TValue value)
    {
        var hash = key.GetHashCode();
        var node = _root;
        for (var level = 0; node is Branch branch; level++)
        {
            var bit = Bit(hash, level);
            if ((branch.Bitmap & bit) == 0)
            {
                value = default!;
                return false;
            }

            node = branch.Children[Index(branch.Bitmap, bit)];
        }

        if (node is Bucket bucket)
        {
            foreach (var entry in bucket.Entries)
            {
                if (entry.Key.Equals(key))
                {
                    value = entry.Value;
                    return true;
                }
            }
        }

        value = default!;
        return false;
    }

    /// <summary>The trie with <paramref name="value"/> at <paramref name="key"/>; this instance when it already holds an equal value.</summary>
    public HashTrie<TValue> SetItem(TrackedLocation key, TValue value, Func<TValue, TValue, bool> areEqual)
    {
        var root = Set(_root, 0, key.GetHashCode(), key, value, areEqual);
        return ReferenceEquals(root, _root) ? this : new HashTrie<TValue>(root);
    }

    /// <summary>The trie without <paramref name="key"/>; this instance when it has no such key.</summary>
    public HashTrie<TValue> Remove(TrackedLocation key)
    {
        if (_root is null)
        {
            return this;
        }

        var root = Delete(_root, 0, key.GetHashCode(), key);
        return ReferenceEquals(root, _root) ? this : new HashTrie<TValue>(root);
    }

    /// <summary>
    /// Where two paths meet: the entries of both combined by <paramref name="merger"/>. Returns <paramref name="left"/>
    /// (or <paramref name="right"/>) itself when the result holds exactly its entries. <paramref name="walked"/> counts the
    /// nodes visited.
    /// </summary>
    public static HashTrie<TValue> Merge(HashTrie<TValue> left, HashTrie<TValue> right, IMerger merger, ref long walked)
    {
        if (ReferenceEquals(left._root, right._root))
        {
            return left;
        }

        var root = MergeNodes(left._root, right._root, 0, merger, ref walked);
        return ReferenceEquals(root, left._root) ? left : ReferenceEquals(root, right._root) ? right : new HashTrie<TValue>(root);
    }

    /// <summary>
    /// Adds to <paramref name="changes"/> every key whose entry differs between <paramref name="before"/> and
    /// <paramref name="after"/>: with its value in <paramref name="after"/>, or not present there. Subtrees that are the same
    /// object are not walked, so two tries derived from one cost what either changed since. Gives up (false, with
    /// <paramref name="changes"/> partly filled) once more than <paramref name="limit"/> nodes were walked.
    /// </summary>
    public static bool TryFindChanges(
        HashTrie<TValue> before, HashTrie<TValue> after, IMerger merger, List<(TrackedLocation Key, bool Present, TValue Value)> changes,
        int limit, ref long walked)
    {
        var budget = limit;
        var found = Changes(before._root, after._root, 0, merger, changes, ref budget);
        walked += limit - Math.Max(budget, 0);
        return found;
    }

    /// <summary>True when both tries hold the same entries; subtrees that are the same object are not walked.</summary>
    public static bool AreEqual(HashTrie<TValue> left, HashTrie<TValue> right, Func<TValue, TValue, bool> areEqual, ref long walked) =>
        NodesEqual(left._root, right._root, 0, areEqual, ref walked);

    /// <summary>
    /// The entries, depth first by child index. A struct: <c>foreach</c> over a trie (or a <see cref="FactMap{TFact}"/>)
    /// allocates nothing; through the interface it is one object (an iterator with its cursor arrays was three).
    /// </summary>
    public Enumerator GetEnumerator() => Enumerator.Over(this);

    IEnumerator<KeyValuePair<TrackedLocation, TValue>> IEnumerable<KeyValuePair<TrackedLocation, TValue>>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// A cursor over a trie's entries: the branch and the next child index at each level above the leaves (at most
    /// <see cref="Levels"/>), then the entries of the leaf reached.
    /// </summary>
    public struct Enumerator : IEnumerator<KeyValuePair<TrackedLocation, TValue>>
    {
        private readonly Node? _root;
        private Branch? _branch0;
        private Branch? _branch1;
        private Branch? _branch2;
        private int _next0;
        private int _next1;
        private int _next2;
        private int _depth;
        private KeyValuePair<TrackedLocation, TValue>[]? _entries;
        private int _entry;
        private bool _started;

        private Enumerator(Node? root)
        {
            _root = root;
            _branch0 = _branch1 = _branch2 = null;
            _next0 = _next1 = _next2 = 0;
            _depth = -1;
            _entries = null;
            _entry = -1;
            _started = false;
            Current = default;
        }

        public KeyValuePair<TrackedLocation, TValue> Current { get; private set; }

        internal static Enumerator Over(HashTrie<TValue> trie) => new(trie._root);

        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            while (true)
            {
                if (_entries is not null)
                {
                    if (++_entry < _entries.Length)
                    {
                        Current = _entries[_entry];
                        return true;
                    }

                    _entries = null;
                }

                if (!_started)
                {
                    _started = true;
                    switch (_root)
                    {
                        case null:
                            return false;
                        case Bucket only:
                            Enter(only);
                            continue;
                        default:
                            Push((Branch)_root!);
                            continue;
                    }
                }

                if (_depth < 0)
                {
                    return false;
                }

                var branch = _depth switch { 0 => _branch0!, 1 => _branch1!, _ => _branch2! };
                var next = _depth switch { 0 => _next0++, 1 => _next1++, _ => _next2++ };
                if (next == branch.Children.Length)
                {
                    _depth--;
                    continue;
                }

                switch (branch.Children[next])
                {
                    case Branch inner:
                        Push(inner);
                        break;
                    case Bucket bucket:
                        Enter(bucket);
                        break;
                }
            }
        }

        public void Reset() => this = new Enumerator(_root);

        public void Dispose()
        {
        }

        private void Enter(Bucket bucket)
        {
            _entries = bucket.Entries;
            _entry = -1;
        }

        private void Push(Branch branch)
        {
            _depth++;
            switch (_depth)
            {
                case 0:
                    _branch0 = branch;
                    _next0 = 0;
                    break;
                case 1:
                    _branch1 = branch;
                    _next1 = 0;
                    break;
                default:
                    System.Diagnostics.Debug.Assert(_depth < Levels, "branches sit above the last level only");
                    _branch2 = branch;
                    _next2 = 0;
                    break;
            }
        }
    }

    private static uint Bit(int hash, int level) => 1u << ((hash >> (level * Bits)) & 31);

    private static int Index(uint bitmap, uint bit) => PopCount(bitmap & (bit - 1));

    private static int PopCount(uint value)
    {
        value -= (value >> 1) & 0x55555555u;
        value = (value & 0x33333333u) + ((value >> 2) & 0x33333333u);
        return (int)((((value + (value >> 4)) & 0x0F0F0F0Fu) * 0x01010101u) >> 24);
    }

    private static Node Set(Node? node, int level, int hash, TrackedLocation key, TValue value, Func<TValue, TValue, bool> areEqual)
    {
        if (node is null)
        {
            return new Bucket(new[] { new KeyValuePair<TrackedLocation, TValue>(key, value) });
        }

        if (node is Bucket bucket)
        {
            var entries = bucket.Entries;
            for (var i = 0; i < entries.Length; i++)
            {
                if (entries[i].Key.Equals(key))
                {
                    if (areEqual(entries[i].Value, value))
                    {
                        return bucket!;
                    }

                    var copy = (KeyValuePair<TrackedLocation, TValue>[])entries.Clone();
                    copy[i] = new KeyValuePair<TrackedLocation, TValue>(key, value);
                    return new Bucket(copy);
                }
            }

            if (level == Levels)
            {
                var grown = new KeyValuePair<TrackedLocation, TValue>[entries.Length + 1];
                Array.Copy(entries, grown, entries.Length);
                grown[entries.Length] = new KeyValuePair<TrackedLocation, TValue>(key, value);
                return new Bucket(grown);
            }

            node = Split(bucket, level);
        }

        var branch = (Branch)node;
        var bitmap = branch.Bitmap;
        var children = branch.Children;
        var bit = Bit(hash, level);
        var index = Index(bitmap, bit);
        if ((bitmap & bit) != 0)
        {
            var child = children[index];
            var updated = Set(child, level + 1, hash, key, value, areEqual);
            if (ReferenceEquals(updated, child))
            {
                return branch;
            }

            var copy = (Node[])children.Clone();
            copy[index] = updated;
            return new Branch(bitmap, copy);
        }

        var inserted = new Node[children.Length + 1];
        Array.Copy(children, inserted, index);
        inserted[index] = Set(null, level + 1, hash, key, value, areEqual);
        Array.Copy(children, index, inserted, index + 1, children.Length - index);
        return new Branch(bitmap | bit, inserted);
    }

    /// <summary>
    /// The branch at <paramref name="level"/> (above the last) that holds <paramref name="leaf"/> one level down, as it is:
    /// what a leaf becomes when a second key arrives beside it, or when it meets a branch in a join, a comparison or a diff.
    /// A leaf above the last level holds one key (a leaf of several would be a new object whenever any of them changed, and
    /// a join whose sides each changed one could never skip it: a long method in a <c>try</c> then walked its whole state
    /// at every handler join), and it keeps its identity wherever it sits, so two states that share it still share it
    /// after either split or collapsed the branches above it.
    /// </summary>
    private static Branch Split(Bucket leaf, int level)
    {
        System.Diagnostics.Debug.Assert(leaf.Entries.Length == 1 && level < Levels, "a leaf above the last level holds one key");
        return new Branch(Bit(leaf.Entries[0].Key.GetHashCode(), level), new Node[] { leaf });
    }

    /// <summary>
    /// The one shape of a subtree at <paramref name="level"/>: a branch above the last level that holds a single key is that
    /// key's leaf, moved up as it is (see <see cref="Split"/>). Every delete and join keeps it, so two subtrees with the
    /// same entries have the same shape (a join or a comparison then skips what is the same object, and a leaf meeting a
    /// branch always differs in size).
    /// </summary>
    private static Node? Canonical(Node? node, int level)
    {
        if (level >= Levels || node is not Branch { Count: 1 } single)
        {
            return node;
        }

        Node only = single;
        while (only is Branch inner)
        {
            only = inner.Children[0];
        }

        return only;
    }

    private static Node? Delete(Node node, int level, int hash, TrackedLocation key)
    {
        if (node is Bucket bucket)
        {
            for (var i = 0; i < bucket.Entries.Length; i++)
            {
                if (bucket.Entries[i].Key.Equals(key))
                {
                    if (bucket.Entries.Length == 1)
                    {
                        return null;
                    }

                    var smaller = new KeyValuePair<TrackedLocation, TValue>[bucket.Entries.Length - 1];
                    Array.Copy(bucket.Entries, smaller, i);
                    Array.Copy(bucket.Entries, i + 1, smaller, i, smaller.Length - i);
                    return new Bucket(smaller);
                }
            }

            return bucket;
        }

        var branch = (Branch)node;
        var bit = Bit(hash, level);
        if ((branch.Bitmap & bit) == 0)
        {
            return branch;
        }

        var index = Index(branch.Bitmap, bit);
        var child = branch.Children[index];
        var updated = Delete(child, level + 1, hash, key);
        if (ReferenceEquals(updated, child))
        {
            return branch;
        }

        if (updated is not null)
        {
            var copy = (Node[])branch.Children.Clone();
            copy[index] = updated;
            return Canonical(new Branch(branch.Bitmap, copy), level);
        }

        if (branch.Children.Length == 1)
        {
            return null;
        }

        var fewer = new Node[branch.Children.Length - 1];
        Array.Copy(branch.Children, fewer, index);
        Array.Copy(branch.Children, index + 1, fewer, index, fewer.Length - index);
        return Canonical(new Branch(branch.Bitmap & ~bit, fewer), level);
    }

    private static bool Changes(
        Node? before, Node? after, int level, IMerger merger, List<(TrackedLocation Key, bool Present, TValue Value)> changes, ref int budget)
    {
        if (ReferenceEquals(before, after))
        {
            return true;
        }

        if (--budget < 0)
        {
            return false;
        }

        // Two branches, or a leaf against a branch (the leaf seen as the branch it would split into, without making it).
        if (before is not null && after is not null && (before is Branch || after is Branch))
        {
            var beforeBits = BitmapAt(before, level);
            var afterBits = BitmapAt(after, level);
            for (var bits = beforeBits | afterBits; bits != 0; bits &= bits - 1)
            {
                var bit = bits & (~bits + 1);
                if (!Changes(ChildAt(before, beforeBits, bit), ChildAt(after, afterBits, bit), level + 1, merger, changes, ref budget))
                {
                    return false;
                }
            }

            return true;
        }

        if (before is Branch or null && after is Branch or null)
        {
            // One side has no subtree here: each of the other's entries changed.
            var entries = new HashTrie<TValue>(before ?? after);
            budget -= entries.Count;
            if (budget < 0)
            {
                return false;
            }

            foreach (var entry in entries)
            {
                changes.Add((entry.Key, after is not null, entry.Value));
            }

            return true;
        }

        var beforeEntries = (before as Bucket)?.Entries ?? Array.Empty<KeyValuePair<TrackedLocation, TValue>>();
        var afterEntries = (after as Bucket)?.Entries ?? Array.Empty<KeyValuePair<TrackedLocation, TValue>>();
        budget -= beforeEntries.Length + afterEntries.Length;
        foreach (var entry in afterEntries)
        {
            if (!TryFind(beforeEntries, entry.Key, out var old) || !merger.AreEqual(old, entry.Value))
            {
                changes.Add((entry.Key, true, entry.Value));
            }
        }

        foreach (var entry in beforeEntries)
        {
            if (!TryFind(afterEntries, entry.Key, out _))
            {
                changes.Add((entry.Key, false, entry.Value));
            }
        }

        return budget >= 0;
    }

    private static bool TryFind(KeyValuePair<TrackedLocation, TValue>[] entries, TrackedLocation key, out TValue value)
    {
        foreach (var entry in entries)
        {
            if (entry.Key.Equals(key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default!;
        return false;
    }

    private static Node? MergeNodes(Node? left, Node? right, int level, IMerger merger, ref long walked)
    {
        if (ReferenceEquals(left, right))
        {
            return left;
        }

        walked++;
        if (left is null)
        {
            return Alone(right!, level, merger, ref walked);
        }

        if (right is null)
        {
            return Alone(left, level, merger, ref walked);
        }

        if (left is Bucket leftBucket && right is Bucket rightBucket && (level >= Levels || SameKeys(leftBucket, rightBucket)))
        {
            return Canonical(MergeBuckets(leftBucket, rightBucket, merger, ref walked), level);
        }

        // A leaf against a branch, or two leaves of different keys: each leaf seen as the branch it would split into (its
        // one child itself), without making that branch.
        var leftBits = BitmapAt(left, level);
        var rightBits = BitmapAt(right, level);

        // When one-sided entries are dropped, only the children both sides have are walked.
        var bitmap = merger.AloneDrops ? leftBits & rightBits : leftBits | rightBits;
        if (bitmap == 0)
        {
            return null;
        }

        // The merged children are kept only once they differ from both sides: a join whose result is one of its sides (a
        // loop's state that gained nothing) allocates nothing here.
        var sameAsLeft = leftBits == bitmap;
        var sameAsRight = rightBits == bitmap;
        var children = sameAsLeft || sameAsRight ? null : new Node?[PopCount(bitmap)];
        var count = 0;
        for (var bits = bitmap; bits != 0; bits &= bits - 1)
        {
            var bit = bits & (~bits + 1);
            var fromLeft = ChildAt(left, leftBits, bit);
            var fromRight = ChildAt(right, rightBits, bit);
            var merged = MergeNodes(fromLeft, fromRight, level + 1, merger, ref walked);
            var wasLeft = sameAsLeft;
            sameAsLeft &= ReferenceEquals(merged, fromLeft);
            sameAsRight &= ReferenceEquals(merged, fromRight);
            if (children is null && !sameAsLeft && !sameAsRight)
            {
                // Up to here the merged children were those of the side that held until now.
                children = new Node?[PopCount(bitmap)];
                var (side, sideBits) = wasLeft ? (left, leftBits) : (right, rightBits);
                var earlier = 0;
                for (var done = bitmap; earlier < count; done &= done - 1)
                {
                    children[earlier++] = ChildAt(side, sideBits, done & (~done + 1));
                }
            }

            if (children is not null)
            {
                children[count] = merged;
            }

            count++;
        }

        // The original nodes, not a leaf's split form: an unchanged side keeps its identity, so later joins and comparisons
        // skip it.
        if (sameAsLeft)
        {
            return left;
        }

        if (sameAsRight)
        {
            return right;
        }

        return Canonical(Compact(bitmap, children!), level);
    }

    /// <summary>The bitmap of <paramref name="node"/> at <paramref name="level"/>: a leaf's is the bit of its one key (see <see cref="Split"/>).</summary>
    private static uint BitmapAt(Node node, int level) =>
        node is Branch branch ? branch.Bitmap : Bit(((Bucket)node).Entries[0].Key.GetHashCode(), level);

    /// <summary>The child of <paramref name="node"/> (with bitmap <paramref name="bitmap"/>) under <paramref name="bit"/>: a leaf is its own one child.</summary>
    private static Node? ChildAt(Node node, uint bitmap, uint bit)
    {
        if ((bitmap & bit) == 0)
        {
            return null;
        }

        return node is Branch branch ? branch.Children[Index(bitmap, bit)] : node;
    }

    /// <summary>True when two leaves hold the same keys.</summary>
    private static bool SameKeys(Bucket left, Bucket right)
    {
        if (left.Entries.Length != right.Entries.Length)
        {
            return false;
        }

        foreach (var entry in left.Entries)
        {
            if (!TryFind(right.Entries, entry.Key, out _))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A subtree present on one side only.</summary>
    private static Node? Alone(Node node, int level, IMerger merger, ref long walked)
    {
        if (merger.AloneKeeps)
        {
            return node;
        }

        if (merger.AloneDrops)
        {
            return null;
        }

        walked++;
        if (node is Bucket bucket)
        {
            List<KeyValuePair<TrackedLocation, TValue>>? kept = null;
            var changed = false;
            for (var i = 0; i < bucket.Entries.Length; i++)
            {
                var entry = bucket.Entries[i];
                var keep = merger.Alone(entry.Value, out var merged);
                if (keep && !changed && merger.AreEqual(merged, entry.Value))
                {
                    continue;
                }

                if (!changed)
                {
                    changed = true;
                    kept = new List<KeyValuePair<TrackedLocation, TValue>>(bucket.Entries.Length);
                    for (var j = 0; j < i; j++)
                    {
                        kept.Add(bucket.Entries[j]);
                    }
                }

                if (keep)
                {
                    kept!.Add(new KeyValuePair<TrackedLocation, TValue>(entry.Key, merged));
                }
            }

            return !changed ? bucket : kept!.Count == 0 ? null : new Bucket(kept.ToArray());
        }

        var branch = (Branch)node;
        Node?[]? children = null;
        for (var i = 0; i < branch.Children.Length; i++)
        {
            var child = branch.Children[i];
            var merged = Alone(child, level + 1, merger, ref walked);
            if (children is null && ReferenceEquals(merged, child))
            {
                continue;
            }

            children ??= (Node?[])branch.Children.Clone();
            children[i] = merged;
        }

        return children is null ? branch : Canonical(Compact(branch.Bitmap, children), level);
    }

    private static Node? MergeBuckets(Bucket left, Bucket right, IMerger merger, ref long walked)
    {
        walked += left.Entries.Length + right.Entries.Length;
        if (left.Entries.Length == 1 && right.Entries.Length == 1 && left.Entries[0].Key.Equals(right.Entries[0].Key))
        {
            // The frequent case (a leaf above the last level holds one key): one of the sides when the merged fact is its.
            var (key, mine) = (left.Entries[0].Key, left.Entries[0].Value);
            var theirs = right.Entries[0].Value;
            if (!merger.Both(mine, theirs, out var joined))
            {
                return null;
            }

            return merger.AreEqual(joined, mine) ? left
                : merger.AreEqual(joined, theirs) ? right
                : new Bucket(new[] { new KeyValuePair<TrackedLocation, TValue>(key, joined) });
        }

        var result = new List<KeyValuePair<TrackedLocation, TValue>>(left.Entries.Length + right.Entries.Length);
        var sameAsLeft = true;
        foreach (var entry in left.Entries)
        {
            var found = false;
            TValue other = default!;
            foreach (var candidate in right.Entries)
            {
                if (candidate.Key.Equals(entry.Key))
                {
                    found = true;
                    other = candidate.Value;
                    break;
                }
            }

            var keep = found ? merger.Both(entry.Value, other, out var merged) : merger.Alone(entry.Value, out merged);
            if (keep)
            {
                result.Add(new KeyValuePair<TrackedLocation, TValue>(entry.Key, merged));
                sameAsLeft &= merger.AreEqual(merged, entry.Value);
            }
            else
            {
                sameAsLeft = false;
            }
        }

        foreach (var entry in right.Entries)
        {
            var found = false;
            foreach (var candidate in left.Entries)
            {
                if (candidate.Key.Equals(entry.Key))
                {
                    found = true;
                    break;
                }
            }

            if (!found && merger.Alone(entry.Value, out var merged))
            {
                result.Add(new KeyValuePair<TrackedLocation, TValue>(entry.Key, merged));
                sameAsLeft = false;
            }
        }

        if (sameAsLeft)
        {
            return left;
        }

        if (result.Count == 0)
        {
            return null;
        }

        if (result.Count == right.Entries.Length)
        {
            var sameAsRight = true;
            foreach (var entry in result)
            {
                var matched = false;
                foreach (var candidate in right.Entries)
                {
                    if (candidate.Key.Equals(entry.Key))
                    {
                        matched = merger.AreEqual(candidate.Value, entry.Value);
                        break;
                    }
                }

                sameAsRight &= matched;
            }

            if (sameAsRight)
            {
                return right;
            }
        }

        return new Bucket(result.ToArray());
    }

    /// <summary>A branch from merged children, some of which may have become empty.</summary>
    private static Node? Compact(uint bitmap, Node?[] children)
    {
        var present = 0;
        foreach (var child in children)
        {
            if (child is not null)
            {
                present++;
            }
        }

        if (present == 0)
        {
            return null;
        }

        if (present == children.Length)
        {
            return new Branch(bitmap, children!);
        }

        var compact = new Node[present];
        var newBitmap = 0u;
        var index = 0;
        var slot = 0;
        for (var bits = bitmap; bits != 0; bits &= bits - 1)
        {
            var bit = bits & (~bits + 1);
            if (children[slot] is { } child)
            {
                compact[index++] = child;
                newBitmap |= bit;
            }

            slot++;
        }

        return new Branch(newBitmap, compact);
    }

    private static bool NodesEqual(Node? left, Node? right, int level, Func<TValue, TValue, bool> areEqual, ref long walked)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }

        walked++;
        if (left is Bucket a && right is Bucket b)
        {
            foreach (var entry in a.Entries)
            {
                var matched = false;
                foreach (var candidate in b.Entries)
                {
                    if (candidate.Key.Equals(entry.Key))
                    {
                        matched = areEqual(entry.Value, candidate.Value);
                        break;
                    }
                }

                if (!matched)
                {
                    return false;
                }
            }

            return true;
        }

        // A leaf against a branch: the leaf as the branch it would split into.
        var x = left as Branch ?? Split((Bucket)left, level);
        var y = right as Branch ?? Split((Bucket)right, level);
        if (x.Bitmap != y.Bitmap)
        {
            return false;
        }

        for (var i = 0; i < x.Children.Length; i++)
        {
            if (!NodesEqual(x.Children[i], y.Children[i], level + 1, areEqual, ref walked))
            {
                return false;
            }
        }

        return true;
    }

    private abstract class Node
    {
        public abstract int Count { get; }
    }

    private sealed class Branch : Node
    {
        public Branch(uint bitmap, Node[] children)
        {
            Bitmap = bitmap;
            Children = children;
            var count = 0;
            foreach (var child in children)
            {
                count += child.Count;
            }

            Count = count;
        }

        public uint Bitmap { get; }

        public Node[] Children { get; }

        public override int Count { get; }
    }

    private sealed class Bucket : Node
    {
        public Bucket(KeyValuePair<TrackedLocation, TValue>[] entries) => Entries = entries;

        public KeyValuePair<TrackedLocation, TValue>[] Entries { get; }

        public override int Count => Entries.Length;
    }
}
