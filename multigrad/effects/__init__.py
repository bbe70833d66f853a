"""Steps with effects: ``mg.print`` (TF's ``tf.print``) and ``mg.py_function``, run on every
call of a traced function, eager or replayed, in program order."""
