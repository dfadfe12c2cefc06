namespace Digits.Persistence.Onnx;

/// <summary>
/// The subset of the ONNX protobuf schema that <see cref="OnnxGraphBuilder"/> emits, with the field numbers of
/// onnx/onnx.proto (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, IR version 8). The schema is proto2,
/// so repeated integers are written unpacked, one tagged varint each, which every parser accepts.
/// </summary>
internal static class OnnxProto
{
    /// <summary>TensorProto.DataType values.</summary>
    public const int DataTypeFloat = 1;
    public const int DataTypeInt64 = 7;

    /// <summary>AttributeProto.AttributeType values.</summary>
    private const int AttributeFloat = 1;
    private const int AttributeInt = 2;
    private const int AttributeInts = 7;

    /// <summary>ModelProto: the file.</summary>
    public static void WriteModel(ProtobufWriter w, long irVersion, string producerName, string producerVersion,
        long opsetVersion, Action<ProtobufWriter> writeGraph)
    {
        w.WriteInt64(1, irVersion);                  // ir_version
        w.WriteString(2, producerName);              // producer_name
        w.WriteString(3, producerVersion);           // producer_version
        w.WriteMessage(7, writeGraph);               // graph
        w.WriteMessage(8, opset =>                   // opset_import: OperatorSetIdProto
        {
            opset.WriteString(1, "");                // domain: "" is the default ONNX domain
            opset.WriteInt64(2, opsetVersion);       // version
        });
    }

    /// <summary>GraphProto.</summary>
    public static void WriteGraph(ProtobufWriter w, string name, IEnumerable<Node> nodes,
        IEnumerable<Initializer> initializers, IEnumerable<ValueInfo> inputs, IEnumerable<ValueInfo> outputs)
    {
        foreach (var node in nodes)
            w.WriteMessage(1, node.WriteTo);         // node
        w.WriteString(2, name);                      // name
        foreach (var initializer in initializers)
            w.WriteMessage(5, initializer.WriteTo);  // initializer
        foreach (var input in inputs)
            w.WriteMessage(11, input.WriteTo);       // input
        foreach (var output in outputs)
            w.WriteMessage(12, output.WriteTo);      // output
    }

    /// <summary>NodeProto: one operator call in the default domain.</summary>
    internal sealed record Node(string OpType, string Name, string[] Inputs, string[] Outputs, NodeAttribute[] Attributes)
    {
        public void WriteTo(ProtobufWriter w)
        {
            foreach (string input in Inputs)
                w.WriteString(1, input);             // input
            foreach (string output in Outputs)
                w.WriteString(2, output);            // output
            w.WriteString(3, Name);                  // name
            w.WriteString(4, OpType);                // op_type
            foreach (var attribute in Attributes)
                w.WriteMessage(5, attribute.WriteTo); // attribute
        }
    }

    /// <summary>AttributeProto holding a float, an int or a list of ints; <c>type</c> says which.</summary>
    internal abstract record NodeAttribute(string Name)
    {
        public void WriteTo(ProtobufWriter w)
        {
            w.WriteString(1, Name);                  // name
            WriteValue(w);
        }

        protected abstract void WriteValue(ProtobufWriter w);
    }

    internal sealed record FloatAttribute(string Name, float Value) : NodeAttribute(Name)
    {
        protected override void WriteValue(ProtobufWriter w)
        {
            w.WriteFloat(2, Value);                  // f
            w.WriteInt64(20, AttributeFloat);        // type
        }
    }

    internal sealed record IntAttribute(string Name, long Value) : NodeAttribute(Name)
    {
        protected override void WriteValue(ProtobufWriter w)
        {
            w.WriteInt64(3, Value);                  // i
            w.WriteInt64(20, AttributeInt);          // type
        }
    }

    internal sealed record IntsAttribute(string Name, long[] Values) : NodeAttribute(Name)
    {
        protected override void WriteValue(ProtobufWriter w)
        {
            foreach (long v in Values)
                w.WriteInt64(8, v);                  // ints
            w.WriteInt64(20, AttributeInts);         // type
        }
    }

    /// <summary>TensorProto with its elements as little-endian <c>raw_data</c>.</summary>
    internal sealed record Initializer(string Name, int DataType, long[] Dims, byte[] RawData)
    {
        public void WriteTo(ProtobufWriter w)
        {
            foreach (long d in Dims)
                w.WriteInt64(1, d);                  // dims
            w.WriteInt64(2, DataType);               // data_type
            w.WriteString(8, Name);                  // name
            w.WriteBytes(9, RawData);                // raw_data
        }
    }

    /// <summary>
    /// ValueInfoProto of a float tensor. A dimension below zero is written as the symbolic
    /// <c>dim_param</c> <see cref="OnnxGraphBuilder.BatchDimension"/>, so one model serves any batch size.
    /// </summary>
    internal sealed record ValueInfo(string Name, long[] Dims)
    {
        public void WriteTo(ProtobufWriter w)
        {
            w.WriteString(1, Name);                  // name
            w.WriteMessage(2, type =>                // type: TypeProto
                type.WriteMessage(1, tensor =>       // tensor_type: TypeProto.Tensor
                {
                    tensor.WriteInt64(1, DataTypeFloat);     // elem_type
                    tensor.WriteMessage(2, shape =>  // shape: TensorShapeProto
                    {
                        foreach (long d in Dims)
                        {
                            shape.WriteMessage(1, dim => // dim: TensorShapeProto.Dimension
                            {
                                if (d < 0)
                                    dim.WriteString(2, OnnxGraphBuilder.BatchDimension); // dim_param
                                else
                                    dim.WriteInt64(1, d);                                // dim_value
                            });
                        }
                    });
                }));
        }
    }
}
