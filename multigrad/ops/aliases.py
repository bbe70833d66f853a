"""Every other name of an op, in one table: alias -> the op's own name.

``multigrad.ops`` binds each alias to the same function object (``mg.reduce_max is
mg.max``), lists it in ``__all__`` and in ``tensor_ops`` (rules use the Array API
spellings: ``pow``, ``concat``, ``astype``, ``cumulative_sum``); docs/ops.md lists each
in its op's "aliases" column.
"""

__all__ = ["ALIASES"]

ALIASES = {
    # TensorFlow
    # (reduce_sum, reduce_mean, reduce_prod are ops of their own: TF's integer dtypes)
    "reduce_max": "max", "reduce_min": "min", "reduce_variance": "var", "reduce_std": "std",
    "reduce_logsumexp": "logsumexp", "reduce_any": "any", "reduce_all": "all",
    "clip_by_value": "clip",
    # NumPy
    "amax": "max", "amin": "min", "absolute": "abs", "fabs": "abs", "true_divide": "divide",
    "mod": "remainder", "conjugate": "conj", "radians": "deg2rad", "degrees": "rad2deg",
    "row_stack": "vstack", "around": "round",
    # the Array API standard (and TensorFlow, for concat and the inverse trigonometry)
    "asin": "arcsin", "acos": "arccos", "atan": "arctan", "asinh": "arcsinh",
    "acosh": "arccosh", "atanh": "arctanh", "atan2": "arctan2", "concat": "concatenate",
    "pow": "power", "permute_dims": "transpose", "astype": "cast",
    "cumulative_sum": "cumsum", "cumulative_prod": "cumprod",
}
