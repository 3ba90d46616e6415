using System.Text;

namespace Scorpio.Metrics.Tests;

/// <summary>
/// A second, independent route through an ONNX model for tests: the protobuf read by hand (wire format) and the graph
/// evaluated by plain loops in float64 (Conv, BatchNormalization, Relu, MaxPool, AveragePool, Add, Sub, Split, Concat:
/// the ops of ML.NET's ResNet18 and its preprocessing), sharing no code with ONNX Runtime. Batch 1, NCHW.
/// </summary>
internal sealed class OnnxReference
{
    private sealed record Node(string Op, string[] Inputs, string[] Outputs, Dictionary<string, object> Attributes);
    private sealed record T(double[] Data, int[] Dims)
    {
        public int C => Dims[^3];
        public int H => Dims[^2];
        public int W => Dims[^1];
    }

    private readonly List<Node> _nodes = new();
    private readonly Dictionary<string, T> _initializers = new();
    public string Input { get; }
    public string Output { get; }

    public OnnxReference(string path)
    {
        var b = File.ReadAllBytes(path);
        var graph = Fields(b, 0, b.Length).First(f => f.Field == 7);
        var inputs = new List<string>();
        foreach (var f in Fields(b, graph.Start, graph.End))
        {
            if (f.Field == 1) _nodes.Add(ReadNode(b, f.Start, f.End));
            else if (f.Field == 5) { var (name, t) = ReadTensor(b, f.Start, f.End); _initializers[name] = t; }
            else if (f.Field == 11) inputs.Add(Str(b, Fields(b, f.Start, f.End).First(g => g.Field == 1)));
            else if (f.Field == 12 && Output == null) Output = Str(b, Fields(b, f.Start, f.End).First(g => g.Field == 1));
        }
        Input = inputs.First(i => !_initializers.ContainsKey(i));
        Output ??= _nodes[^1].Outputs[0];
    }

    /// <summary>Runs the graph on one (1, C, H, W) input; returns the graph output's values.</summary>
    public double[] Run(float[] input, int[] dims)
    {
        var v = new Dictionary<string, T>(_initializers) { [Input] = new T(input.Select(x => (double)x).ToArray(), dims) };
        foreach (var n in _nodes)
        {
            var x = n.Inputs.Select(i => i.Length == 0 ? null : v[i]).ToArray();
            var outs = n.Op switch
            {
                "Conv" => new[] { Conv(x[0]!, x[1]!, x.Length > 2 ? x[2] : null, n.Attributes) },
                "BatchNormalization" => new[] { BatchNorm(x[0]!, x[1]!, x[2]!, x[3]!, x[4]!, n.Attributes.TryGetValue("epsilon", out var e) ? (float)e : 1e-5f) },
                "Relu" => new[] { new T(x[0]!.Data.Select(a => Math.Max(a, 0)).ToArray(), x[0]!.Dims) },
                "Add" => new[] { Elementwise(x[0]!, x[1]!, (a, c) => a + c) },
                "Sub" => new[] { Elementwise(x[0]!, x[1]!, (a, c) => a - c) },
                "MaxPool" => new[] { Pool(x[0]!, n.Attributes, max: true) },
                "AveragePool" => new[] { Pool(x[0]!, n.Attributes, max: false) },
                "Split" => Split(x[0]!, n.Attributes, n.Outputs.Length),
                "Concat" => new[] { Concat(x!, n.Attributes) },
                _ => throw new NotSupportedException($"op {n.Op} is not in the reference interpreter"),
            };
            for (int k = 0; k < n.Outputs.Length; k++) v[n.Outputs[k]] = outs[k];
        }
        return v[Output].Data;
    }

    private static int[] Ints(Dictionary<string, object> a, string name, int[] fallback) => a.TryGetValue(name, out var o) ? ((long[])o).Select(l => (int)l).ToArray() : fallback;

    // Padding (begin, end) per spatial axis, from pads or auto_pad (SAME_UPPER puts the odd pixel at the end).
    private static (int[] Begin, int[] End) Pads(Dictionary<string, object> a, int[] input, int[] kernel, int[] stride, int[] dilation)
    {
        string auto = a.TryGetValue("auto_pad", out var s) ? (string)s : "NOTSET";
        if (auto is "SAME_UPPER" or "SAME_LOWER")
        {
            var begin = new int[2]; var end = new int[2];
            for (int i = 0; i < 2; i++)
            {
                int outSize = (input[i] + stride[i] - 1) / stride[i];
                int total = Math.Max(0, (outSize - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - input[i]);
                begin[i] = auto == "SAME_UPPER" ? total / 2 : total - total / 2;
                end[i] = total - begin[i];
            }
            return (begin, end);
        }
        if (auto == "VALID") return (new int[2], new int[2]);
        var p = Ints(a, "pads", new int[4]);
        return (new[] { p[0], p[1] }, new[] { p[2], p[3] });
    }

    private static T Conv(T x, T w, T? bias, Dictionary<string, object> a)
    {
        int m = w.Dims[0], cg = w.Dims[1], kh = w.Dims[2], kw = w.Dims[3];
        int group = a.TryGetValue("group", out var g) ? (int)(long)g : 1;
        var stride = Ints(a, "strides", new[] { 1, 1 });
        var dil = Ints(a, "dilations", new[] { 1, 1 });
        var (pb, pe) = Pads(a, new[] { x.H, x.W }, new[] { kh, kw }, stride, dil);
        int oh = (x.H + pb[0] + pe[0] - ((kh - 1) * dil[0] + 1)) / stride[0] + 1, ow = (x.W + pb[1] + pe[1] - ((kw - 1) * dil[1] + 1)) / stride[1] + 1;
        var o = new double[m * oh * ow];
        int mPerGroup = m / group;
        // Loop order oc, c, i, j, y, x: one weight per (c, i, j) sweeps the output plane (a plain, slow-but-clear correlation).
        Parallel.For(0, m, oc =>
        {
            int c0 = oc / mPerGroup * cg, ob = oc * oh * ow;
            double b0 = bias?.Data[oc] ?? 0;
            for (int p = 0; p < oh * ow; p++) o[ob + p] = b0;
            for (int c = 0; c < cg; c++)
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        double wv = w.Data[((oc * cg + c) * kh + i) * kw + j];
                        int xb = (c0 + c) * x.H * x.W;
                        for (int y = 0; y < oh; y++)
                        {
                            int iy = y * stride[0] - pb[0] + i * dil[0];
                            if (iy < 0 || iy >= x.H) continue;
                            int row = xb + iy * x.W, orow = ob + y * ow;
                            for (int xx = 0; xx < ow; xx++)
                            {
                                int ix = xx * stride[1] - pb[1] + j * dil[1];
                                if (ix >= 0 && ix < x.W) o[orow + xx] += wv * x.Data[row + ix];
                            }
                        }
                    }
        });
        return new T(o, new[] { 1, m, oh, ow });
    }

    private static T BatchNorm(T x, T scale, T b, T mean, T var, float eps)
    {
        var o = new double[x.Data.Length];
        int hw = x.H * x.W;
        for (int c = 0; c < x.C; c++)
        {
            double k = scale.Data[c] / Math.Sqrt(var.Data[c] + eps);
            for (int i = 0; i < hw; i++) o[c * hw + i] = (x.Data[c * hw + i] - mean.Data[c]) * k + b.Data[c];
        }
        return new T(o, x.Dims);
    }

    // Same-size operands, or a second operand that repeats over the first's leading axis (a (C, H, W) constant).
    private static T Elementwise(T a, T b, Func<double, double, double> f)
    {
        if (a.Data.Length % b.Data.Length != 0) throw new NotSupportedException("broadcast beyond repetition");
        return new T(a.Data.Select((v, i) => f(v, b.Data[i % b.Data.Length])).ToArray(), a.Dims.Length >= b.Dims.Length ? a.Dims : b.Dims);
    }

    private static T Pool(T x, Dictionary<string, object> a, bool max)
    {
        var k = Ints(a, "kernel_shape", new[] { 1, 1 });
        var stride = Ints(a, "strides", new[] { 1, 1 });
        var (pb, pe) = Pads(a, new[] { x.H, x.W }, k, stride, new[] { 1, 1 });
        bool includePad = a.TryGetValue("count_include_pad", out var cip) && (long)cip != 0;
        int oh = (x.H + pb[0] + pe[0] - k[0]) / stride[0] + 1, ow = (x.W + pb[1] + pe[1] - k[1]) / stride[1] + 1;
        var o = new double[x.C * oh * ow];
        for (int c = 0; c < x.C; c++)
            for (int y = 0; y < oh; y++)
                for (int xx = 0; xx < ow; xx++)
                {
                    double acc = max ? double.NegativeInfinity : 0;
                    int n = 0;
                    for (int i = 0; i < k[0]; i++)
                        for (int j = 0; j < k[1]; j++)
                        {
                            int iy = y * stride[0] - pb[0] + i, ix = xx * stride[1] - pb[1] + j;
                            if (iy < 0 || iy >= x.H || ix < 0 || ix >= x.W) { if (includePad) n++; continue; }
                            double v = x.Data[(c * x.H + iy) * x.W + ix];
                            acc = max ? Math.Max(acc, v) : acc + v;
                            n++;
                        }
                    o[(c * oh + y) * ow + xx] = max ? acc : acc / n;
                }
        return new T(o, new[] { 1, x.C, oh, ow });
    }

    private static T[] Split(T x, Dictionary<string, object> a, int parts)
    {
        if ((a.TryGetValue("axis", out var ax) ? (long)ax : 0) != 1) throw new NotSupportedException("split only along channels");
        var sizes = Ints(a, "split", Enumerable.Repeat(x.C / parts, parts).ToArray());
        int hw = x.H * x.W, start = 0;
        var res = new T[parts];
        for (int p = 0; p < parts; p++)
        {
            res[p] = new T(x.Data.AsSpan(start * hw, sizes[p] * hw).ToArray(), new[] { 1, sizes[p], x.H, x.W });
            start += sizes[p];
        }
        return res;
    }

    private static T Concat(T[] xs, Dictionary<string, object> a)
    {
        if ((long)a["axis"] != 1) throw new NotSupportedException("concat only along channels");
        return new T(xs.SelectMany(t => t.Data).ToArray(), new[] { 1, xs.Sum(t => t.C), xs[0].H, xs[0].W });
    }

    private static Node ReadNode(byte[] b, int start, int end)
    {
        string op = ""; var ins = new List<string>(); var outs = new List<string>(); var attrs = new Dictionary<string, object>();
        foreach (var f in Fields(b, start, end))
        {
            if (f.Field == 1) ins.Add(Str(b, f));
            else if (f.Field == 2) outs.Add(Str(b, f));
            else if (f.Field == 4) op = Str(b, f);
            else if (f.Field == 5)
            {
                string name = ""; object? value = null; var ints = new List<long>();
                foreach (var g in Fields(b, f.Start, f.End))
                {
                    if (g.Field == 1) name = Str(b, g);
                    else if (g.Field == 2) value = BitConverter.ToSingle(b, g.Start);
                    else if (g.Field == 3) value = g.Value;
                    else if (g.Field == 4) value = Str(b, g);
                    else if (g.Field == 8 && g.Wire == 0) ints.Add(g.Value);
                    else if (g.Field == 8) { int p = g.Start; while (p < g.End) ints.Add((long)Varint(b, ref p)); }
                }
                attrs[name] = value ?? ints.ToArray();
            }
        }
        return new Node(op, ins.ToArray(), outs.ToArray(), attrs);
    }

    private static (string Name, T Tensor) ReadTensor(byte[] b, int start, int end)
    {
        var dims = new List<int>(); string name = ""; double[]? data = null; var floats = new List<double>();
        foreach (var f in Fields(b, start, end))
        {
            if (f.Field == 1 && f.Wire == 0) dims.Add((int)f.Value);
            else if (f.Field == 1) { int p = f.Start; while (p < f.End) dims.Add((int)Varint(b, ref p)); }
            else if (f.Field == 2 && f.Value != 1) throw new NotSupportedException($"tensor data type {f.Value} (only float)");
            else if (f.Field == 4 && f.Wire == 5) floats.Add(BitConverter.ToSingle(b, f.Start));
            else if (f.Field == 4) for (int p = f.Start; p < f.End; p += 4) floats.Add(BitConverter.ToSingle(b, p));
            else if (f.Field == 8) name = Str(b, f);
            else if (f.Field == 9) { data = new double[(f.End - f.Start) / 4]; for (int i = 0; i < data.Length; i++) data[i] = BitConverter.ToSingle(b, f.Start + 4 * i); }
        }
        return (name, new T(data ?? floats.ToArray(), dims.ToArray()));
    }

    private static string Str(byte[] b, (int Field, int Wire, long Value, int Start, int End) f) => Encoding.UTF8.GetString(b, f.Start, f.End - f.Start);

    private static IEnumerable<(int Field, int Wire, long Value, int Start, int End)> Fields(byte[] b, int start, int end)
    {
        int p = start;
        while (p < end)
        {
            ulong key = Varint(b, ref p);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: { long v = (long)Varint(b, ref p); yield return (field, wire, v, 0, 0); break; }
                case 1: yield return (field, wire, BitConverter.ToInt64(b, p), p, p + 8); p += 8; break;
                case 2: { int len = (int)Varint(b, ref p); yield return (field, wire, 0, p, p + len); p += len; break; }
                case 5: yield return (field, wire, BitConverter.ToInt32(b, p), p, p + 4); p += 4; break;
                default: throw new NotSupportedException($"protobuf wire type {wire}");
            }
        }
    }

    private static ulong Varint(byte[] b, ref int p)
    {
        ulong r = 0;
        for (int s = 0; ; s += 7)
        {
            byte x = b[p++];
            r |= (ulong)(x & 0x7f) << s;
            if (x < 0x80) return r;
        }
    }
}
