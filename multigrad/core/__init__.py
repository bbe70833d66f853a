"""Tensors and recording: the objects every op takes and the one path that records them.

``tensor`` (``Tensor``, ``Variable``), ``tensor_methods`` (ndarray's methods on Tensor),
``primitive`` (``Primitive``, ``apply``: the call that records on tapes), ``tape_entry``
(what a tape keeps and how a rule's cotangents come out), ``recorder`` (the interface a
tape offers ``primitive``), ``convert`` (data to Tensors), ``state`` (the active tapes),
``vocabulary`` (``tensor_ops``: the rule vocabulary on Tensors), ``nest`` (nested
structures), ``args`` (argument checks), ``compute`` (``mg.compute``). Imports only
``backend`` and the top-level leaves below it.
"""
