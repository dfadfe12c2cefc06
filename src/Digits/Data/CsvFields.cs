using System.Text;

namespace Digits.Data;

/// <summary>
/// The little of CSV (RFC 4180) that labels files need: comma-separated fields, a field in double quotes may hold
/// commas, and <c>""</c> inside quotes is one quote. A field never spans lines: labels files are written one image
/// per line.
/// </summary>
internal static class CsvFields
{
    /// <summary>The fields of one line.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }

    /// <summary><paramref name="value"/> as one field: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    /// <summary>One line of <paramref name="values"/>, each escaped.</summary>
    public static string Join(IEnumerable<string> values) => string.Join(",", values.Select(Escape));
}
