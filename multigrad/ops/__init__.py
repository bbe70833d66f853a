"""Every differentiable operation, and ``tensor_ops``: the same vocabulary on Tensors.

``tensor_ops`` mirrors ``Backend.ops`` name for name: VJP rules written against one run
unchanged against the other, which is how a backward pass is itself recorded for
higher-order derivatives.
"""

from types import SimpleNamespace as _SimpleNamespace

from .. import tensor as _tensor_module
from .creation import (arange, asarray, cast, constant, convert_to_tensor, eye, full, full_like,
                       linspace, ones, ones_like, python_data_dtype, to_backend, zeros,
                       zeros_like)
from .elementwise import (abs, add, clip, cos, divide, equal, exp, floor_divide, greater,
                          greater_equal, identity, isfinite, isinf, isnan, less, less_equal,
                          log, logical_and, logical_not, logical_or, logical_xor, maximum,
                          minimum, multiply, negative, not_equal, power, remainder, sign, sin,
                          sqrt, square, stop_gradient, subtract, tanh, where)
from .elementwise import floor
from .products import matmul
from .reductions import max, mean, min, sum
from .shape import (broadcast_to, concatenate, expand_dims, getitem, index_add,
                    matrix_transpose, reshape, squeeze, stack, transpose)


# The rule vocabulary (see ``multigrad.array_backend.ArrayOps``) on Tensors.
tensor_ops = _SimpleNamespace(
    add=add, subtract=subtract, multiply=multiply, divide=divide, negative=negative,
    pow=power, square=square, sqrt=sqrt, exp=exp, log=log, sin=sin, cos=cos, tanh=tanh,
    abs=abs, sign=sign, floor=floor, maximum=maximum, minimum=minimum,
    equal=equal, not_equal=not_equal, less=less, less_equal=less_equal, greater=greater,
    greater_equal=greater_equal, logical_and=logical_and, logical_or=logical_or,
    logical_not=logical_not, where=where, sum=sum, mean=mean, max=max, min=min,
    matmul=matmul, reshape=reshape, transpose=transpose, matrix_transpose=matrix_transpose,
    expand_dims=expand_dims, squeeze=squeeze, broadcast_to=broadcast_to, stack=stack,
    concat=concatenate, getitem=getitem, index_add=index_add, zeros_like=zeros_like,
    ones_like=ones_like, astype=cast,
)
_tensor_module._ops = __import__(__name__, fromlist=["*"])
