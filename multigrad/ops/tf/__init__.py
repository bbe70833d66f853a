"""TensorFlow's functions that NumPy has no name for: ``functions`` (``mg.norm``,
``mg.shape``, ``mg.range``, ...), ``gather`` (gathers, masks, segment sums),
``math_functions`` (``tf.math``'s own functions), ``math_namespace`` (``mg.math``).
"""
