"""Structured control flow (TF's ``tf.cond``, ``tf.while_loop``, ``tf.switch_case``,
``tf.TensorArray``, ``tf.foldl``/``foldr``/``scan``): plain Python eagerly, one step of the
program holding sub-programs inside ``mg.function``."""
