"""Easy words for resume codes: short, concrete, child-friendly, and spelled one way (401 words, ~8.6 bits each)."""

_TEXT = """
acorn actor adult agent alarm album alien alley amber angle ankle apple apron arena arrow atlas attic autumn award axis
baby badge bagel baker balloon bamboo banana band banjo barn basket beach beacon beak bean bear beaver bell belt bench berry
bike bird biscuit blanket blossom boat bone book boot bottle bowl box branch bread brick bridge broom brush bubble bucket
bunny bus butter button cabin cactus cake camel camera camp candle canoe canyon cape card carpet carrot castle cat cave
cello chair chalk cheese cherry chess chick chimney circle city clay cliff clock cloud clover coat cocoa coconut coin comet
compass cookie copper coral corn cotton cow crab crane crayon cricket crown cube cup cupcake curtain cushion daisy dance
deer desert desk diamond dinner dolphin donkey door dragon drum duck eagle earth easel echo eel egg elbow elephant elk
engine falcon farm feather fence fern ferry field fig finch fire fish flag flame flute foam forest fossil fountain fox frog
fruit garden garlic gate gecko giant ginger giraffe glass globe glove goat gold goose grape grass guitar gull hammer harbour
harp hat hawk hazel heart hedge helmet hen hill hippo honey hoop horse hotel house igloo iron island ivy jacket jam jar jelly
jet jigsaw juice kettle key kite kitten kiwi koala ladder lake lamb lamp lantern lava lawn leaf lemon lettuce library light
lime lion lizard llama lobster lock lolly lunch magnet mango map maple marble meadow melon mermaid meteor milk mint mirror
mitten mole monkey moon moose moss moth mountain mouse muffin mug mushroom music nest net noodle oak oasis ocean octopus olive
onion orange orbit orchard otter owl paddle paint palm panda pancake paper parcel park parrot pasta peach peacock peanut pear
pebble pelican pencil penguin pepper piano picnic pig pillow pilot pine pizza planet plum pocket pond pony poppy potato
puddle puffin pumpkin puppy puzzle quilt rabbit radio rain rainbow raven river robin rocket roof rope rose ruby ruler sail
salad salmon sand sandal scarf school seal seed shark sheep shell ship shoe shovel silver skate sky sled snail snow sock sofa
spider spoon squirrel star station stone storm straw stream sugar summer sun swan sweater swing table tablet tiger toast
tomato torch tortoise towel tower tractor train tree trumpet tulip tunnel turtle umbrella valley van vase violin volcano
wagon walnut walrus wand water whale wheel whistle willow window winter wolf wool yacht yoghurt zebra zip
"""
WORDS: tuple[str, ...] = tuple(_TEXT.split())
