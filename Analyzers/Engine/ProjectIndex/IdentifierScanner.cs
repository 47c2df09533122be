using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;

namespace DriverBuffers.Analyzers.Engine;

/// <summary>
/// A hand-written scanner of a C# text's identifiers, lambda arrows and anonymous-method <c>delegate</c> keywords, for
/// <see cref="SyntaxTreeIndex"/>: it reads the characters once, allocates a string only per distinct name, and skips
/// comments, string and character literals and preprocessor lines as the lexer does (an interpolated string's holes are
/// scanned as code, its text is not). It finds the identifier tokens the compiler's lexer finds, at the same positions
/// (reserved keywords are not names; <c>@name</c> is <c>name</c> at the <c>@</c>), and every <c>=&gt;</c> of the code
/// (lambdas, and also expression bodies and switch arms: readers confirm on the tree). Where it would have to know more
/// than characters it gives up and the caller lexes the text: raw string literals (<c>"""</c>), conditional
/// compilation (<c>#if</c>, <c>#elif</c>, <c>#else</c>), Unicode escapes (<c>\u</c>) or formatting characters in code,
/// characters outside the basic plane, an unterminated comment or string.
/// </summary>
internal sealed class IdentifierScanner
{
    private readonly string _text;
    private readonly SyntaxTreeIndex.Builder _builder;
    private readonly CancellationToken _cancellationToken;

    // Distinct words seen so far, found by their characters in the text (no string per occurrence): id, or -1 for a keyword.
    private int[] _buckets = new int[256];
    private Word[] _words = new Word[128];
    private int _wordCount;

    private IdentifierScanner(string text, SyntaxTreeIndex.Builder builder, CancellationToken cancellationToken)
    {
        _text = text;
        _builder = builder;
        _cancellationToken = cancellationToken;
    }

    /// <summary>Scans <paramref name="text"/> into <paramref name="builder"/>; false when the text needs the lexer (the builder is then to be dropped).</summary>
    public static bool TryScan(string text, SyntaxTreeIndex.Builder builder, CancellationToken cancellationToken) =>
        new IdentifierScanner(text, builder, cancellationToken).Scan();

    private bool Scan()
    {
        var text = _text;
        var length = text.Length;
        var i = 0;
        var lineStart = true; // only whitespace since the start of the line: a '#' there starts a directive
        var holes = new HoleStack();

        while (i < length)
        {
            if ((i & 0xFFF) == 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
            }

            var c = text[i];
            switch (c)
            {
                case '\n' or '\r' or '\u2028' or '\u2029' or '\u0085':
                    lineStart = true;
                    i++;
                    continue;
                case ' ' or '\t' or '\v' or '\f':
                    i++;
                    continue;
            }

            if (c == '#' && lineStart)
            {
                if (IsConditionalDirective(i + 1))
                {
                    return false;
                }

                i = EndOfLine(i);
                continue;
            }

            lineStart = false;
            if (IsAsciiIdentifierStart(c))
            {
                i = ScanWord(i, i, verbatim: false);
                if (i < 0)
                {
                    return false;
                }

                continue;
            }

            if (c >= '0' && c <= '9')
            {
                i = SkipNumber(i);
                continue;
            }

            switch (c)
            {
                case '/' when At(i + 1) == '/':
                    i = EndOfLine(i);
                    continue;
                case '/' when At(i + 1) == '*':
                    var close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                    if (close < 0)
                    {
                        return false;
                    }

                    i = close + 2;
                    continue;
                case '"':
                    if (At(i + 1) == '"' && At(i + 2) == '"')
                    {
                        return false; // a raw string literal
                    }

                    i = SkipString(i + 1, verbatim: false, holes, interpolated: false);
                    break;
                case '\'':
                    i = SkipCharacter(i + 1);
                    break;
                case '@':
                    if (At(i + 1) == '"')
                    {
                        i = SkipString(i + 2, verbatim: true, holes, interpolated: false);
                    }
                    else if (At(i + 1) == '$' && At(i + 2) == '"')
                    {
                        i = SkipString(i + 3, verbatim: true, holes, interpolated: true);
                    }
                    else if (IsAsciiIdentifierStart(At(i + 1)))
                    {
                        i = ScanWord(i, i + 1, verbatim: true);
                    }
                    else if (At(i + 1) > 127)
                    {
                        return false;
                    }
                    else
                    {
                        i++;
                    }

                    break;
                case '$':
                    if (At(i + 1) == '"')
                    {
                        if (At(i + 2) == '"' && At(i + 3) == '"')
                        {
                            return false;
                        }

                        i = SkipString(i + 2, verbatim: false, holes, interpolated: true);
                    }
                    else if (At(i + 1) == '@' && At(i + 2) == '"')
                    {
                        i = SkipString(i + 3, verbatim: true, holes, interpolated: true);
                    }
                    else if (At(i + 1) == '$')
                    {
                        return false; // $$"""…""": a raw interpolated string
                    }
                    else
                    {
                        i++;
                    }

                    break;
                case '=' when At(i + 1) == '>':
                    _builder.Functions.Add(i);
                    i += 2;
                    break;
                case '{' or '(' or '[':
                    holes.Open(c);
                    i++;
                    break;
                case ')' or ']':
                    holes.CloseNested();
                    i++;
                    break;
                case ':' when holes.AtTopOfHole:
                    // `{value,5:N2}`: the format is the string's text up to the hole's end.
                    i = SkipFormat(i + 1, holes.InnermostIsVerbatim);
                    break;
                case '}':
                    if (holes.Close())
                    {
                        // The end of an interpolation's hole: back in its string's text.
                        i = SkipString(i + 1, holes.Pop(), holes, interpolated: true);
                    }
                    else
                    {
                        i++;
                    }

                    break;
                case '\\':
                    return false; // a Unicode escape starting an identifier (or invalid code)
                default:
                    if (c > 127)
                    {
                        if (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
                        {
                            return false;
                        }

                        if (SyntaxFacts.IsIdentifierStartCharacter(c))
                        {
                            i = ScanWord(i, i, verbatim: false);
                            if (i < 0)
                            {
                                return false;
                            }

                            continue;
                        }
                    }

                    i++;
                    break;
            }

            if (i < 0)
            {
                return false;
            }
        }

        return holes.IsEmpty;
    }

    private char At(int i) => i < _text.Length ? _text[i] : '\0';

    private const byte StartsName = 1;
    private const byte InName = 2;

    /// <summary>What each ASCII character can be in a name: one lookup per character instead of four comparisons.</summary>
    private static readonly byte[] AsciiClass = CreateAsciiClass();

    private static byte[] CreateAsciiClass()
    {
        var classes = new byte[128];
        for (var c = 0; c < 128; c++)
        {
            var letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
            classes[c] = (byte)((letter ? StartsName | InName : 0) | (c >= '0' && c <= '9' ? InName : 0));
        }

        return classes;
    }

    private static bool IsAsciiIdentifierStart(char c) => c < 128 && (AsciiClass[c] & StartsName) != 0;

    private static bool IsAsciiIdentifierPart(char c) => c < 128 && (AsciiClass[c] & InName) != 0;

    /// <summary>
    /// Scans the word whose characters start at <paramref name="start"/> (<paramref name="position"/> is the token's start:
    /// the <c>@</c> of a verbatim identifier); returns the index after it, or -1 when the lexer is needed.
    /// </summary>
    private int ScanWord(int position, int start, bool verbatim)
    {
        var text = _text;
        var end = start;
        var hash = unchecked((int)2166136261);
        while (end < text.Length)
        {
            var c = text[end];
            if (!IsAsciiIdentifierPart(c))
            {
                if (c <= 127)
                {
                    break;
                }

                if (char.IsSurrogate(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format)
                {
                    return -1; // the lexer drops formatting characters from the name
                }

                if (!SyntaxFacts.IsIdentifierPartCharacter(c))
                {
                    break;
                }
            }

            hash = unchecked((hash ^ c) * 16777619);
            end++;
        }

        if (end < text.Length && text[end] == '\\')
        {
            return -1; // a Unicode escape inside the identifier
        }

        if (verbatim)
        {
            _builder.Identifier(text.Substring(start, end - start), position);
        }
        else
        {
            var id = IdOf(start, end - start, hash);
            if (id >= 0)
            {
                _builder.Identifier(id, position);
            }

            if (id == DelegateKeyword && AnonymousMethodFollows(end))
            {
                _builder.Functions.Add(position);
            }
        }

        return end;
    }

    private const int Keyword = -1;
    private const int DelegateKeyword = -2;

    /// <summary>The builder's id of the word, <see cref="Keyword"/> for a reserved keyword, <see cref="DelegateKeyword"/> for <c>delegate</c>.</summary>
    private int IdOf(int start, int length, int hash)
    {
        var text = _text;
        var bucket = hash & (_buckets.Length - 1);
        for (var w = _buckets[bucket] - 1; w >= 0; w = _words[w].Next)
        {
            ref var word = ref _words[w];
            if (word.Hash == hash && word.Length == length &&
                string.CompareOrdinal(text, word.Start, text, start, length) == 0)
            {
                return word.Id;
            }
        }

        var name = text.Substring(start, length);
        var kind = SyntaxFacts.GetKeywordKind(name);
        var id = kind == SyntaxKind.DelegateKeyword ? DelegateKeyword : kind != SyntaxKind.None ? Keyword : _builder.IdOf(name);
        if (_wordCount == _words.Length)
        {
            System.Array.Resize(ref _words, _words.Length * 2);
        }

        _words[_wordCount] = new Word(hash, start, length, id, _buckets[bucket] - 1);
        _buckets[bucket] = ++_wordCount;
        if (_wordCount * 2 > _buckets.Length)
        {
            Rehash();
        }

        return id;
    }

    private void Rehash()
    {
        _buckets = new int[_buckets.Length * 2];
        for (var w = 0; w < _wordCount; w++)
        {
            var bucket = _words[w].Hash & (_buckets.Length - 1);
            _words[w].Next = _buckets[bucket] - 1;
            _buckets[bucket] = w + 1;
        }
    }

    /// <summary>True when the next token after <c>delegate</c> (at <paramref name="i"/>) is <c>(</c> or <c>{</c>: an anonymous method, not a delegate type.</summary>
    private bool AnonymousMethodFollows(int i)
    {
        var text = _text;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '/' && At(i + 1) == '/')
            {
                i = EndOfLine(i);
            }
            else if (c == '/' && At(i + 1) == '*')
            {
                var close = text.IndexOf("*/", i + 2, System.StringComparison.Ordinal);
                if (close < 0)
                {
                    return false;
                }

                i = close + 2;
            }
            else
            {
                return c is '(' or '{';
            }
        }

        return false;
    }

    /// <summary>A numeric literal (digits, letters of a hexadecimal or binary number, a suffix, separators): no name.</summary>
    private int SkipNumber(int i)
    {
        while (i < _text.Length && IsAsciiIdentifierPart(_text[i]))
        {
            i++;
        }

        return i;
    }

    private int EndOfLine(int i)
    {
        while (i < _text.Length && _text[i] is not ('\n' or '\r' or '\u2028' or '\u2029' or '\u0085'))
        {
            i++;
        }

        return i;
    }

    /// <summary>True when the directive after '#' (at <paramref name="i"/>) is <c>if</c>, <c>elif</c> or <c>else</c>: which code the lexer skips depends on symbols.</summary>
    private bool IsConditionalDirective(int i)
    {
        while (i < _text.Length && _text[i] is ' ' or '\t')
        {
            i++;
        }

        var start = i;
        while (i < _text.Length && IsAsciiIdentifierPart(_text[i]))
        {
            i++;
        }

        var name = _text.Substring(start, i - start);
        return name is "if" or "elif" or "else" or "endif";
    }

    /// <summary>A character literal from after its opening quote; its end (the end of the line for an unterminated one).</summary>
    private int SkipCharacter(int i)
    {
        var text = _text;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '\\':
                    i += 2;
                    continue;
                case '\'':
                    return i + 1;
                case '\n' or '\r' or '\u2028' or '\u2029' or '\u0085':
                    return i;
            }

            i++;
        }

        return i;
    }

    /// <summary>
    /// A string's text from after its opening quote: the index after its closing quote (and a <c>u8</c> suffix), or, for an
    /// interpolated string, the index after the <c>{</c> opening a hole (the hole is then on <paramref name="holes"/>), or -1
    /// when the string is not terminated where the lexer would end it (the lexer decides).
    /// </summary>
    private int SkipString(int i, bool verbatim, HoleStack holes, bool interpolated)
    {
        var text = _text;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                if (verbatim && At(i + 1) == '"')
                {
                    i += 2;
                    continue;
                }

                i++;
                if ((At(i) is 'u' or 'U') && At(i + 1) == '8')
                {
                    i += 2;
                }

                return i;
            }

            if (c == '\\' && !verbatim)
            {
                i += 2;
                continue;
            }

            if (interpolated && c == '{')
            {
                if (At(i + 1) == '{')
                {
                    i += 2;
                    continue;
                }

                holes.Push(verbatim);
                return i + 1;
            }

            if (!verbatim && c is '\n' or '\r' or '\u2028' or '\u2029' or '\u0085')
            {
                return -1;
            }

            i++;
        }

        return -1;
    }

    private struct Word
    {
        public Word(int hash, int start, int length, int id, int next)
        {
            Hash = hash;
            Start = start;
            Length = length;
            Id = id;
            Next = next;
        }

        public int Hash;
        public int Start;
        public int Length;
        public int Id;
        public int Next;
    }

    /// <summary>The format of a hole from after its colon: the index of the <c>}</c> ending the hole, or -1.</summary>
    private int SkipFormat(int i, bool verbatim)
    {
        var text = _text;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '}':
                    return i;
                case '\\' when !verbatim:
                    i += 2;
                    continue;
                case '"' when !verbatim || At(i + 1) != '"':
                    return -1;
                case '"':
                    i += 2;
                    continue;
                case '{':
                    return -1;
                case '\n' or '\r' or '\u2028' or '\u2029' or '\u0085' when !verbatim:
                    return -1;
            }

            i++;
        }

        return -1;
    }

    /// <summary>
    /// The interpolation holes the scanner is in, innermost last, each with whether its string is verbatim and the braces,
    /// parentheses and brackets opened inside it: a hole ends at the <c>}</c> that closes none of its own, and a colon
    /// outside any of them starts its format. Nothing is counted outside holes.
    /// </summary>
    private sealed class HoleStack
    {
        private Hole[] _holes = new Hole[4];
        private int _count;

        public bool IsEmpty => _count == 0;

        /// <summary>True inside a hole, outside any brace, parenthesis or bracket opened in it.</summary>
        public bool AtTopOfHole => _count > 0 && _holes[_count - 1].Braces == 0 && _holes[_count - 1].Nested == 0;

        public bool InnermostIsVerbatim => _holes[_count - 1].Verbatim;

        public void Push(bool verbatim)
        {
            if (_count == _holes.Length)
            {
                System.Array.Resize(ref _holes, _count * 2);
            }

            _holes[_count++] = new Hole { Verbatim = verbatim };
        }

        public void Open(char c)
        {
            if (_count > 0)
            {
                if (c == '{')
                {
                    _holes[_count - 1].Braces++;
                }
                else
                {
                    _holes[_count - 1].Nested++;
                }
            }
        }

        public void CloseNested()
        {
            if (_count > 0 && _holes[_count - 1].Nested > 0)
            {
                _holes[_count - 1].Nested--;
            }
        }

        /// <summary>True when this <c>}</c> ends the innermost hole (rather than a brace opened inside it, or code outside any).</summary>
        public bool Close()
        {
            if (_count == 0)
            {
                return false;
            }

            if (_holes[_count - 1].Braces == 0)
            {
                return true;
            }

            _holes[_count - 1].Braces--;
            return false;
        }

        /// <summary>Leaves the innermost hole; true when its string is verbatim.</summary>
        public bool Pop() => _holes[--_count].Verbatim;

        private struct Hole
        {
            public bool Verbatim;
            public int Braces;
            public int Nested;
        }
    }
}
